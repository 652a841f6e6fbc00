import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { MikroORM } from '@mikro-orm/postgresql';
import { createTopology } from '../../../src/contracts/topology.js';
import { ENTITIES } from '../../../src/effects/db/orm-config.js';
import { getTask, listTasks } from '../../../src/effects/db/task-store.js';
import { loadStreamDefinitions } from '../../../src/bus/stream-definitions.js';
import { createTaskPublisher } from '../../../src/bus/task-publisher.js';
import { attemptLeaseMs } from '../../../src/actors/attempt-lease-ms.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { startGithubGraphqlDouble, type GithubGraphqlDouble } from '../../helpers/github-graphql-double.js';
import { publishRawDelivery } from '../../helpers/publish-raw-delivery.js';
import { startServiceProcess, type ServiceProcess } from '../../helpers/service-process.js';
import { createOwnPostgres, type OwnPostgres } from '../../helpers/own-postgres.js';
import { postWebhook } from '../../helpers/signed-webhook.js';
import { startFullStack } from '../../helpers/start-full-stack.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { waitForIdleConsumers } from '../../helpers/wait-for-idle-consumers.js';
import { dropTestDatabase, testDatabaseUrl, uniqueDatabaseName } from '../../helpers/test-database.js';
import { deleteNamespace, NATS_URL, uniqueNamespace } from '../../helpers/test-nats.js';
import { waitFor } from '../../helpers/wait-for.js';

const ANALYSES = 5;

/** The instance id a service process logged when it was ready. */
const instanceOf = (service: ServiceProcess) => /"instance":"([^"]+)"[^\n]*"msg":"listening"/.exec(service.output())![1]!;

describe('task ownership across a crash', function () {
  this.timeout(120_000);
  const namespace = uniqueNamespace();
  const databaseName = uniqueDatabaseName();
  let github: GithubGraphqlDouble;
  let nc: NatsConnection;
  let orm: MikroORM | undefined;
  let service: ServiceProcess | undefined;

  before(async () => {
    github = await startGithubGraphqlDouble();
    nc = await connect({ servers: NATS_URL });
  });
  after(async () => {
    await service?.kill();
    await orm?.close(true);
    await nc.close();
    await github.close();
    await deleteNamespace(namespace);
    await dropTestDatabase(databaseName);
  });

  it('takes over the analyses a SIGKILLed instance was running once their leases run out: every task succeeds, none dead, the old attempts closed abandoned', async () => {
    const env = {
      GITHUB_WEBHOOK_SECRET: TEST_SECRET,
      NATS_NAMESPACE: namespace,
      DATABASE_URL: testDatabaseUrl(databaseName),
      GITHUB_GRAPHQL_URL: github.url,
      GITHUB_TOKEN: 'ghp_ownershipTestToken0000000000000000000',
      GITHUB_TIMEOUT_MS: '60000',
    };
    const payload = examplePayload('pull_request', (p) => p.action === 'opened') as { pull_request: { head: { sha: string } } };
    github.setMocks({ PullRequest: () => ({ headRefOid: payload.pull_request.head.sha, isDraft: false, state: 'OPEN' }) });
    // GitHub answers slowly: the analyses are mid-call when the process dies.
    github.setLatencyMs(30_000);
    service = await startServiceProcess(env);
    const first = instanceOf(service);
    orm = await MikroORM.init({ clientUrl: testDatabaseUrl(databaseName), entities: ENTITIES, allowGlobalContext: true });
    const em = () => orm!.em.fork();
    const topology = createTopology(namespace);
    for (let i = 0; i < ANALYSES; i += 1) await publishRawDelivery(nc, topology, { deliveryId: randomUUID(), event: 'pull_request', payload: payload as Record<string, unknown> });

    const running = await waitFor(async () => {
      const page = await listTasks(em(), { status: 'running', taskType: 'pull_request_analysis' }, { limit: 10, offset: 0 });
      return page.total === ANALYSES ? page.rows : undefined;
    }, { timeoutMs: 60_000, message: 'every analysis to be running' });
    await service.kill();
    const [killed] = await em().execute(`select now() as "at"`);

    github.setLatencyMs(0);
    service = await startServiceProcess(env);
    const [restarted] = await em().execute(`select now() as "at"`);
    const second = instanceOf(service);
    expect(second).not.to.equal(first);

    for (const task of running) {
      const done = await waitFor(async () => {
        const detail = await getTask(em(), task.id);
        return detail && !['running', 'queued', 'retrying'].includes(detail.task.status) ? detail : undefined;
      }, { timeoutMs: 60_000, message: `task ${task.id} to finish after the restart` });
      expect(done.task.status, `task ${task.id}: ${done.task.lastError}`).to.equal('succeeded');
      const [abandoned, ...rest] = done.attempts;
      expect(abandoned).to.include({ number: 1, outcome: 'abandoned', owner: first });
      expect(abandoned!.error).to.match(new RegExp(`^abandoned: instance ${first.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} stopped renewing its lease`));
      expect(rest.at(-1)).to.include({ outcome: 'succeeded', owner: second });
      expect(done.attempts.every((attempt) => attempt.finishedAt !== null), 'every attempt closed').to.equal(true);
      // Taken over as soon as the message came back: JetStream redelivers it at most ack_wait after
      // the dead process last marked it working, and its lease (two thirds of ack_wait, renewed
      // every third of that) had always run out by then — or at once, if the restart took longer.
      const { consumers } = await loadStreamDefinitions('streams');
      const ackWaitMs = Number(consumers.find((c) => c.config.durable_name === 'actor_analysis')!.config.ack_wait) / 1e6;
      expect(attemptLeaseMs(consumers)).to.equal(Math.floor((ackWaitMs * 2) / 3));
      const killedAt = new Date(killed!.at as string).getTime();
      const restartedAfterMs = new Date(restarted!.at as string).getTime() - killedAt;
      const takenOverAfterMs = rest[0]!.startedAt.getTime() - killedAt;
      expect(takenOverAfterMs).to.be.below(Math.max(ackWaitMs, restartedAfterMs) + 2500);
    }
    const dead = await listTasks(em(), { status: 'dead' }, { limit: 1, offset: 0 });
    expect(dead.total, 'no task dead').to.equal(0);
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(topology.streams.dlq)).state.messages, 'nothing dead-lettered').to.equal(0);
  });
});

describe('task ownership between live instances', function () {
  this.timeout(90_000);

  it('never steals a live lease: a second message for a running task waits (nak with a delay) instead of taking it over or dying', async () => {
    const stack = await startFullStack({ GITHUB_TIMEOUT_MS: '60000' });
    const other = await startTestService(
      { GITHUB_GRAPHQL_URL: stack.github.url, GITHUB_TOKEN: 'ghp_fullStackTestToken000000000000000000', GITHUB_TIMEOUT_MS: '60000' },
      { namespace: stack.service.namespace, databaseName: stack.service.databaseName, breakers: { coolDownMs: 1000 } },
    );
    try {
      const payload = examplePayload('pull_request', (p) => p.action === 'opened') as Record<string, any>;
      stack.github.setMocks({ PullRequest: () => ({ headRefOid: payload.pull_request.head.sha, isDraft: false, state: 'OPEN' }) });
      // Longer than a lease: only renewals keep the task its owner's.
      const leaseMs = attemptLeaseMs((await loadStreamDefinitions('streams')).consumers);
      stack.github.setLatencyMs(leaseMs + 5000);
      const answer = await postWebhook(stack.service.url, { event: 'pull_request', payload, secret: TEST_SECRET });
      const task = await waitFor(async () => {
        const page = await listTasks(stack.em(), { deliveryId: answer.deliveryId, status: 'running' }, { limit: 1, offset: 0 });
        return page.rows[0];
      }, { message: 'the analysis to be running' });
      // A second message for the same task (as a replay or a redrive would send), while it runs.
      await createTaskPublisher({ js: jetstream(stack.service.nats.nc), topology: stack.service.topology })({
        id: task.id,
        taskType: task.taskType,
        generation: 'second',
      });
      const done = await waitFor(async () => {
        const detail = await getTask(stack.em(), task.id);
        return detail?.task.status === 'succeeded' ? detail : undefined;
      }, { timeoutMs: 60_000, message: 'the analysis to succeed' });
      expect(done.attempts.map((attempt) => [attempt.number, attempt.outcome]), 'one attempt: never taken over').to.deep.equal([[1, 'succeeded']]);
      expect([stack.service.instanceId, other.instanceId]).to.include(done.attempts[0]!.owner);
      const refusals = [...stack.service.lines, ...other.lines].filter((line) => line.includes('is already running (its lease has'));
      expect(refusals.length, 'the second message was refused while the first ran').to.be.at.least(1);
      await waitForIdleConsumers(stack.service);
      expect((await stack.service.managementActions.listDeadLetters({ limit: 1, offset: 0 })).total, 'nothing dead-lettered').to.equal(0);
    } finally {
      await other.close();
      await stack.dispose();
    }
  });
});

describe('an outcome that could not be recorded', function () {
  this.timeout(90_000);
  const coolDownMs = 1000;
  let postgres: OwnPostgres;
  let github: GithubGraphqlDouble;
  let service: TestService;

  before(async () => {
    postgres = await createOwnPostgres();
    postgres.start();
    github = await startGithubGraphqlDouble();
    service = await startTestService(
      { DATABASE_URL: postgres.url('orchestrator'), GITHUB_GRAPHQL_URL: github.url, GITHUB_TOKEN: 'ghp_ownershipTestToken0000000000000000000' },
      { breakers: { coolDownMs } },
    );
  });
  after(async () => {
    postgres.start();
    await service?.close();
    await deleteNamespace(service.namespace);
    await github.close();
    postgres.dispose();
  });

  it('is not acked: the message comes back once PostgreSQL does, the open attempt is closed and the task finishes within a few cool-downs', async () => {
    const payload = examplePayload('pull_request', (p) => p.action === 'opened') as Record<string, any>;
    github.setMocks({ PullRequest: () => ({ headRefOid: payload.pull_request.head.sha, isDraft: false, state: 'OPEN' }) });
    github.setLatencyMs(3000);
    const answer = await postWebhook(service.url, { event: 'pull_request', payload, secret: TEST_SECRET });
    const em = () => service.database.orm.em.fork();
    const task = await waitFor(async () => {
      const page = await listTasks(em(), { deliveryId: answer.deliveryId, status: 'running' }, { limit: 1, offset: 0 });
      return page.rows[0];
    }, { message: 'the analysis to be running' });

    // PostgreSQL goes away while GitHub is answering: the analysis has its result and nowhere to write it.
    postgres.stop();
    await waitFor(() => github.requests.length >= 1 && service.breakers.database.state === 'open', {
      timeoutMs: 30_000,
      message: 'the analysis to have failed to record its outcome',
    });
    github.setLatencyMs(0);
    postgres.start();
    const back = Date.now();

    const done = await waitFor(async () => {
      const detail = await getTask(em(), task.id);
      return detail?.task.status === 'succeeded' ? detail : undefined;
    }, { timeoutMs: 30_000, message: 'the analysis to succeed once PostgreSQL is back' });
    // The breaker probes after a cool-down; the message was nak'd for at most one; the pool reconnects.
    expect(Date.now() - back, 'finished within a few cool-downs of PostgreSQL returning').to.be.below(6 * coolDownMs + 3000);
    const [first, ...rest] = done.attempts;
    expect(first).to.include({ number: 1, outcome: 'abandoned', owner: service.instanceId });
    expect(first!.error).to.match(/could not record its outcome|stopped renewing its lease/);
    expect(rest.at(-1)!.outcome).to.equal('succeeded');
    expect(done.attempts.every((attempt) => attempt.finishedAt !== null), 'every attempt closed').to.equal(true);
    await waitForIdleConsumers(service);
  });
});
