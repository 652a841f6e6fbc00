import { expect } from 'chai';
import { randomBytes, randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { getDelivery } from '../../../src/effects/db/delivery-store.js';
import { getTask, listTasks } from '../../../src/effects/db/task-store.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { failedCheckRunPayload } from '../../helpers/check-run-delivery.js';
import { mockFailedChecks } from '../../helpers/github-check-mocks.js';
import { githubGraphqlError } from '../../helpers/github-graphql-double.js';
import { createOwnPostgres, type OwnPostgres } from '../../helpers/own-postgres.js';
import { publishRawDelivery } from '../../helpers/publish-raw-delivery.js';
import { postWebhook } from '../../helpers/signed-webhook.js';
import { startFullStack, type FullStack } from '../../helpers/start-full-stack.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { deleteNamespace } from '../../helpers/test-nats.js';
import { waitFor } from '../../helpers/wait-for.js';
import { waitForIdleConsumers } from '../../helpers/wait-for-idle-consumers.js';

const sha = () => randomBytes(20).toString('hex');

describe('actor resilience', function () {
  this.timeout(90_000);

  describe('with the GitHub and Codegen doubles', () => {
    let stack: FullStack;
    beforeEach(async () => {
      stack = await startFullStack();
    });
    afterEach(async () => {
      await stack.dispose();
    });

    it('creates one task for a delivery that arrives five times, also concurrently', async () => {
      const deliveryId = randomUUID();
      const payload = examplePayload('pull_request', (p) => p.action === 'opened');
      await Promise.all(
        [1, 2, 3, 4, 5].map((n) =>
          publishRawDelivery(stack.service.nats.nc, stack.service.topology, { deliveryId, event: 'pull_request', payload, msgId: `${deliveryId}/${n}` }),
        ),
      );
      const settled = await waitFor(async () => {
        const detail = await getDelivery(stack.em(), deliveryId);
        // Repeats the in-memory dedupe catches are acked without a database write, so not every one is a sighting.
        return detail && detail.delivery.timesSeen >= 1 && detail.delivery.outcome === 'processed' ? detail : undefined;
      }, { message: 'all five messages handled' });
      expect(settled.delivery.deliveryId).to.equal(deliveryId);
      const tasks = await listTasks(stack.em(), { deliveryId, taskType: 'pull_request_analysis' }, { limit: 10, offset: 0 });
      expect(tasks.total).to.equal(1);
      // Every message was settled (acked), whichever of them counted as the first.
      const settledCount = async () => {
        const metrics = await (await fetch(`${stack.service.url}/metrics`)).text();
        return [...metrics.matchAll(/orchestrator_events_processed_total\{actor="pull_request",outcome="(?:processed|duplicate)"\} (\d+)/g)]
          .reduce((sum, match) => sum + Number(match[1]), 0);
      };
      await waitFor(async () => (await settledCount()) >= 5, { message: 'five settlements counted' });
      // Nothing is left to deliver or redeliver, so the count below is final, not a snapshot.
      await waitForIdleConsumers(stack.service);
      expect(await settledCount()).to.equal(5);
    });

    it('retries a transiently failing handler with backoff, then succeeds', async () => {
      const headSha = sha();
      mockFailedChecks(stack.github, { headSha, prNumber: 21, runs: [{ nodeId: 'CR_t', name: 't', annotations: [] }] });
      stack.github.setFailure(502);
      const answer = await postWebhook(stack.service.url, {
        event: 'check_run',
        payload: failedCheckRunPayload({ nodeId: 'CR_t', name: 't', headSha, prNumber: 21 }),
        secret: TEST_SECRET,
      });
      const retrying = await waitFor(async () => {
        const rows = await listTasks(stack.em(), { deliveryId: answer.deliveryId, taskType: 'check_failure_analysis' }, { limit: 1, offset: 0 });
        return rows.rows[0]?.status === 'retrying' ? rows.rows[0] : undefined;
      }, { message: 'the analysis to be retrying' });
      stack.github.setFailure(false);
      const done = await waitFor(async () => {
        const detail = await getTask(stack.em(), retrying.id);
        return detail?.task.status === 'succeeded' ? detail : undefined;
      }, { timeoutMs: 40_000, message: 'the analysis to succeed after recovery' });
      expect(done.attempts.length).to.be.greaterThan(1);
      expect(done.attempts.slice(0, -1).every((attempt) => attempt.outcome === 'retrying')).to.equal(true);
      expect(done.attempts.at(-1)!.outcome).to.equal('succeeded');
      const metrics = await (await fetch(`${stack.service.url}/metrics`)).text();
      expect(metrics).to.match(/orchestrator_retries_total\{actor="analysis"\} [1-9]/);
    });

    it('sends a permanently failing message to the DLQ with its reason and marks the task dead', async () => {
      stack.github.setMocks({}, {
        Query: {
          node: () => {
            throw githubGraphqlError('NOT_FOUND', "Could not resolve to a node with the global id of 'CR_gone'");
          },
        },
      });
      const answer = await postWebhook(stack.service.url, {
        event: 'check_run',
        payload: failedCheckRunPayload({ nodeId: 'CR_gone', name: 'gone', headSha: sha(), prNumber: 1 }),
        secret: TEST_SECRET,
      });
      const dead = await waitFor(async () => {
        const rows = await listTasks(stack.em(), { deliveryId: answer.deliveryId, taskType: 'check_failure_analysis' }, { limit: 1, offset: 0 });
        return rows.rows[0]?.status === 'dead' ? rows.rows[0] : undefined;
      }, { message: 'the task to be dead' });
      expect(dead.lastError).to.match(/permanent_failure/);
      const letters = await waitFor(async () => {
        const page = await stack.service.managementActions.listDeadLetters({ limit: 10, offset: 0 });
        return page.total > 0 ? page : undefined;
      });
      expect(letters.dead_letters[0]).to.deep.include({ task_id: dead.id, consumer: 'actor_analysis' });
      expect(letters.dead_letters[0]!.reason).to.match(/permanent_failure.*Could not resolve/);
      const metrics = await (await fetch(`${stack.service.url}/metrics`)).text();
      expect(metrics).to.match(/orchestrator_dead_letters_total\{actor="analysis"\} 1/);

      // Once GitHub answers again, an operator redrives it: the task runs again and the DLQ empties.
      mockFailedChecks(stack.github, { headSha: dead.headSha!, prNumber: 1, runs: [{ nodeId: 'CR_gone', name: 'gone', annotations: [] }] });
      await stack.service.managementActions.redriveDeadLetter(letters.dead_letters[0]!.id);
      await waitFor(async () => (await getTask(stack.em(), dead.id))?.task.status === 'succeeded', { message: 'the redriven task to succeed' });
      expect((await stack.service.managementActions.listDeadLetters({ limit: 10, offset: 0 })).total).to.equal(0);
    });
  });

  describe('when PostgreSQL goes away', () => {
    const coolDownMs = 1000;
    let postgres: OwnPostgres;
    let service: TestService;
    before(async () => {
      postgres = await createOwnPostgres();
      postgres.start();
      service = await startTestService({ DATABASE_URL: postgres.url('orchestrator') }, { breakers: { coolDownMs } });
    });
    after(async () => {
      postgres.start();
      await service?.close();
      await deleteNamespace(service.namespace);
      postgres.dispose();
    });

    it('keeps messages in JetStream during the outage and processes them within a few cool-downs of its recovery', async () => {
      postgres.stop();
      const accepted = [];
      const installations: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        // Five distinct events: the same body under a new delivery id would be answered as a replay.
        const payload = examplePayload('issues', (p) => p.action === 'opened') as Record<string, any>;
        payload.issue.body = `event ${i}`;
        const answer = await postWebhook(service.url, { event: 'issues', payload, secret: TEST_SECRET });
        expect(answer.status, 'ingress keeps accepting: it needs only JetStream').to.equal(202);
        accepted.push(answer.deliveryId);
      }
      const health = await fetch(`${service.url}/health`);
      expect(health.status).to.equal(503);
      expect(((await health.json()) as { checks: { database: { status: string } } }).checks.database.status).to.equal('down');
      await waitFor(() => service.breakers.database.state === 'open', { message: 'the database breaker to open' });
      const jsm = await jetstreamManager(service.nats.nc);
      const waiting = await jsm.consumers.info(service.topology.streams.github, 'actor_deliveries');
      expect(waiting.num_pending + waiting.num_ack_pending, 'messages wait in JetStream').to.be.at.least(1);

      // Installation events are handled one message at a time: their failures are nak'd one by one.
      for (const action of ['created', 'deleted', 'suspend']) {
        const payload = examplePayload('installation', (p) => p.action === action) as Record<string, any>;
        const answer = await postWebhook(service.url, { event: 'installation', payload, secret: TEST_SECRET });
        expect(answer.status).to.equal(202);
        installations.push(answer.deliveryId);
      }
      // An outage long enough for exponential backoffs to grow past any cool-down.
      await new Promise((resolve) => setTimeout(resolve, 8000));

      postgres.start();
      const back = Date.now();
      const processed = async (deliveryId: string) => {
        const outcome = (await getDelivery(service.database.orm.em.fork(), deliveryId))?.delivery.outcome;
        return outcome !== undefined && outcome !== 'received';
      };
      for (const deliveryId of [...accepted, ...installations]) {
        await waitFor(() => processed(deliveryId), { timeoutMs: 40_000, message: `delivery ${deliveryId} processed after recovery` });
      }
      // Messages nak'd during the outage wait at most a cool-down; the breaker probes after one.
      expect(Date.now() - back, 'every delivery processed within a few cool-downs of PostgreSQL returning').to.be.below(4 * coolDownMs + 4000);
      // The outage spent no message's deliveries: none was given up on.
      expect((await service.managementActions.listDeadLetters({ limit: 1, offset: 0 })).total, 'nothing dead-lettered').to.equal(0);
      expect((await fetch(`${service.url}/health`)).status).to.equal(200);
    });
  });
});
