import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { request } from '@octokit/request';
import { expect } from 'chai';
import { ensureStreams } from '../../../src/bus/ensure-streams.js';
import { messageIdsInStream } from '../../../src/bus/message-ids-in-stream.js';
import { loadStreamDefinitions } from '../../../src/bus/stream-definitions.js';
import { createTopology, type Topology } from '../../../src/contracts/topology.js';
import { getRecoveryRun } from '../../../src/effects/db/recovery-store.js';
import { createMetrics, type Metrics } from '../../../src/observability/metrics.js';
import { createGithubHookDeliveries } from '../../../src/recovery/github-hook-deliveries.js';
import { createRecoveryAuth } from '../../../src/recovery/recovery-auth.js';
import { beginRecoveryRun, type RecoveryOutcome } from '../../../src/recovery/begin-recovery-run.js';
import { startGithubRestDouble, type GithubRestDouble } from '../../helpers/github-rest-double.js';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../helpers/test-database.js';
import { deleteNamespace, NATS_URL, uniqueNamespace } from '../../helpers/test-nats.js';

const APP_ID = '4242';
const { privateKey: PRIVATE_KEY } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  // GitHub hands out App keys as PKCS#1 PEM.
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const APP_HOOK = '/app/hook';
const THREE_DAYS = 72 * 3_600_000;

describe('beginRecoveryRun', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let topology: Topology;
  let github: GithubRestDouble;
  let metrics: Metrics;
  const namespace = uniqueNamespace('rec');

  before(async () => {
    db = await createTestDatabase();
    nc = await connect({ servers: NATS_URL });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    topology = createTopology(namespace);
    await ensureStreams({ jsm, definitions: await loadStreamDefinitions('streams'), topology, logger: silentLogger() });
  });
  after(async () => {
    await nc?.close();
    await deleteNamespace(namespace);
    await db?.close();
  });
  beforeEach(async () => {
    github = await startGithubRestDouble({ app: { appId: APP_ID, privateKeyPem: PRIVATE_KEY } });
    metrics = createMetrics({ defaultMetrics: false });
    await db.orm.em.fork().getConnection().execute('truncate recovery_runs, recovery_requests, recovery_checkpoints, webhook_deliveries cascade');
  });
  afterEach(async () => {
    await github?.close();
  });

  function runOptions(perPage = 100) {
    const rest = request.defaults({ baseUrl: github.url });
    const auth = createRecoveryAuth({ app: { appId: APP_ID, privateKey: PRIVATE_KEY }, request: rest, graphqlUrl: github.graphqlUrl, fetch, logger: silentLogger() });
    return {
      targets: [{ kind: 'app' as const }],
      github: createGithubHookDeliveries({ request: rest, auth, perPage }),
      orm: db.orm,
      inStream: (wanted: ReadonlySet<string>, since: Date) => messageIdsInStream({ js, jsm, stream: topology.streams.github, since, wanted }),
      lookbackMs: THREE_DAYS,
      metrics,
      logger: silentLogger(),
    };
  }

  async function run(options = runOptions(), since?: Date): Promise<RecoveryOutcome & { id: string }> {
    const begun = await beginRecoveryRun(options, { trigger: since ? 'manual' : 'schedule', since });
    return { ...(await begun.finished), id: begun.run.id };
  }

  const failed = (guid = randomUUID(), statusCode = 502) => github.addAttempt(APP_HOOK, { guid, status_code: statusCode, status: statusCode === 0 ? 'failed to connect' : `Invalid HTTP Response: ${statusCode}` });

  it('redelivers the failed deliveries it never accepted exactly once, and leaves accepted and successful ones alone', async () => {
    const missed = failed();
    const acceptedRow = failed(randomUUID(), 0);
    await db.orm.em.fork().getConnection().execute(`insert into webhook_deliveries (delivery_id, event_type) values (?, 'issues')`, [acceptedRow.guid]);
    const acceptedInStream = failed(randomUUID(), 504);
    await js.publish(topology.subject('github.issues.opened'), '{}', { msgID: acceptedInStream.guid });
    const succeeded = github.addAttempt(APP_HOOK, { guid: randomUUID(), status_code: 202, status: 'OK' });
    const retriedByHand = failed();
    github.addAttempt(APP_HOOK, { guid: retriedByHand.guid, status_code: 202, status: 'OK', redelivery: true });

    const first = await run();
    expect(first).to.include({ status: 'completed', scanned: 6, failed: 3, alreadyAccepted: 2, requested: 1 });
    expect(github.redeliveries).to.deep.equal([{ hook: APP_HOOK, id: missed.id, guid: missed.guid }]);
    const detail = await getRecoveryRun(db.orm.em.fork(), first.id);
    expect(detail!.requests.map((r) => [r.guid, r.outcome, r.failedStatusCode])).to.deep.equal([[missed.guid, 'requested', 502]]);
    expect(github.requests.every((r) => r.authorization?.startsWith('bearer ey'))).to.equal(true);

    // The service is still down: the redelivery fails too. The GUID was asked for once; never again.
    github.redeliveryStatusCode = 503;
    const second = await run(runOptions(), new Date(Date.now() - 3_600_000));
    expect(second).to.include({ status: 'completed', requested: 0 });
    expect(github.redeliveries.map((r) => r.guid)).to.deep.equal([missed.guid]);
    expect([succeeded.guid, acceptedRow.guid, acceptedInStream.guid, retriedByHand.guid]).not.to.include.members(github.redeliveries.map((r) => r.guid));
    expect((await metrics.registry.getSingleMetricAsString('orchestrator_recovery_redeliveries_total'))).to.include('outcome="requested"} 1');
  });

  it('follows the Link header across pages and, on the next run, stops at its checkpoint', async () => {
    const early = Array.from({ length: 5 }, () => failed());
    const first = await run(runOptions(2));
    expect(first).to.include({ status: 'completed', scanned: 5, requested: 5 });
    const firstLists = github.requests.filter((r) => r.method === 'GET');
    expect(firstLists.map((r) => r.query.cursor ?? null)).to.deep.equal([null, `v1_${early[3]!.id}`, `v1_${early[1]!.id}`]);
    expect(firstLists.every((r) => r.query.per_page === '2')).to.equal(true);

    const late = failed();
    const listsBefore = github.requests.filter((r) => r.method === 'GET').length;
    const second = await run(runOptions(2));
    // Newer than the checkpoint: the five successful redeliveries and the new failure; nothing older is listed.
    expect(second).to.include({ status: 'completed', scanned: 6, failed: 1, requested: 1 });
    // Newest first, as listed.
    expect(github.redeliveries.map((r) => r.guid)).to.deep.equal([...[...early].reverse().map((item) => item.guid), late.guid]);
    const secondLists = github.requests.filter((r) => r.method === 'GET').slice(listsBefore);
    expect(secondLists).to.have.length(4);
  });

  it('pauses on a 429 or a secondary rate limit instead of failing, and resumes without asking twice', async () => {
    const items = [failed(), failed(), failed()];
    github.script({ method: 'GET', status: 403, headers: { 'retry-after': '60' }, body: { message: 'You have exceeded a secondary rate limit.' } });
    const before = Date.now();
    const secondary = await run();
    expect(secondary).to.include({ status: 'paused', requested: 0, error: null });
    expect(secondary.resumeAt!.getTime()).to.be.at.least(before + 59_000);

    github.script({ method: 'POST', status: 429, headers: { 'retry-after': '120' }, body: { message: 'Too Many Requests' } });
    const limited = await run();
    expect(limited).to.include({ status: 'paused', requested: 0 });
    expect(limited.resumeAt!.getTime()).to.be.at.least(before + 119_000);
    expect(github.redeliveries).to.have.length(0);

    const resumed = await run();
    expect(resumed).to.include({ status: 'completed', requested: 3 });
    expect(github.redeliveries.map((r) => r.guid).sort()).to.deep.equal(items.map((item) => item.guid).sort());
    const runs = await metrics.registry.getSingleMetricAsString('orchestrator_recovery_runs_total');
    expect(runs).to.include('trigger="schedule",status="paused"} 2');
    expect(runs).to.include('trigger="schedule",status="completed"} 1');
  });

  it('ends failed with the error when GitHub fails the listing, moving no checkpoint: the next run still finds the missed delivery', async () => {
    const missed = failed();
    github.script({ method: 'GET', status: 500, body: { message: 'Server Error' } });

    const broken = await run();
    expect(broken).to.include({ status: 'failed', requested: 0 });
    expect(broken.error).to.be.a('string').and.not.be.empty;
    expect((await getRecoveryRun(db.orm.em.fork(), broken.id))!.run).to.include({ status: 'failed', error: broken.error });

    expect(await run()).to.include({ status: 'completed', requested: 1 });
    expect(github.redeliveries.map((r) => r.guid)).to.deep.equal([missed.guid]);
  });
});
