import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { jetstreamManager } from '@nats-io/jetstream';
import { loadConfig } from '../../../src/config/load-config.js';
import { getRecoveryRun } from '../../../src/effects/db/recovery-store.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { createRecovery } from '../../../src/recovery/create-recovery.js';
import type { RecoveryJob } from '../../../src/recovery/recovery-job.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { startGithubRestDouble, type GithubRestDouble } from '../../helpers/github-rest-double.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { useTestDatabase } from '../../helpers/test-database.js';
import { waitFor } from '../../helpers/wait-for.js';

const TOKEN = 'ghp_createRecoveryTest0123456789';

describe('createRecovery', function () {
  this.timeout(20_000);
  const db = useTestDatabase();
  let scratch: ScratchJetStream;
  let github: GithubRestDouble;
  let job: RecoveryJob | undefined;
  before(async () => {
    scratch = await openScratchJetStream();
  });
  after(() => scratch?.close());
  beforeEach(async () => {
    github = await startGithubRestDouble({ tokens: [TOKEN] });
  });
  afterEach(async () => {
    await job?.stop();
    job = undefined;
    await github.close();
  });

  /** createRecovery with the service's own configuration from `env`, on the test's NATS namespace and database. */
  const create = async (env: Record<string, string>) => {
    const captured = captureLogger({ level: 'info' });
    const config = loadConfig({ GITHUB_WEBHOOK_SECRET: 'secret-of-the-test', GITHUB_GRAPHQL_URL: github.graphqlUrl, NATS_NAMESPACE: scratch.topology.namespace, ...env });
    job = await createRecovery({
      config,
      nc: scratch.nc,
      js: scratch.js,
      jsm: await jetstreamManager(scratch.nc),
      orm: db().orm,
      topology: scratch.topology,
      metrics: createMetrics({ defaultMetrics: false }),
      logger: captured.logger,
      firstRunDelayMs: 3_600_000,
    });
    return { job, messages: () => captured.records().map((record) => record.msg) };
  };

  it('is off, saying why, when RECOVERY_ENABLED is false', async () => {
    const { job: made, messages } = await create({ RECOVERY_ENABLED: 'false', GITHUB_TOKEN: TOKEN, RECOVERY_HOOKS: 'repo:octo/app:1' });
    expect(made).to.equal(undefined);
    expect(messages()).to.deep.equal(['missed-delivery recovery disabled (RECOVERY_ENABLED=false)']);
  });

  it('is off, saying why, when no hook can be read (no App credentials and no RECOVERY_HOOKS)', async () => {
    const { job: made, messages } = await create({ GITHUB_TOKEN: TOKEN });
    expect(made).to.equal(undefined);
    expect(messages()).to.deep.equal(['missed-delivery recovery off: it needs GitHub App credentials (the App hook) or RECOVERY_HOOKS with a token']);
  });

  it('wires a job that reads the configured hook through the REST API of GITHUB_GRAPHQL_URL with the token, and redelivers what was missed', async () => {
    const missed = github.addAttempt('/repos/octo/app/hooks/1', { guid: randomUUID(), status_code: 502, status: 'Invalid HTTP Response: 502' });
    const { job: made } = await create({ GITHUB_TOKEN: TOKEN, RECOVERY_HOOKS: 'repo:octo/app:1' });

    const started = await made!.trigger();
    expect(started.started).to.equal(true);
    const runId = (started as { run: { id: string } }).run.id;
    const run = await waitFor(async () => {
      const detail = await getRecoveryRun(db().orm.em.fork(), runId);
      return detail?.run.status === 'completed' ? detail : undefined;
    }, { message: 'the run to complete' });

    expect(run.run).to.include({ trigger: 'manual', requested: 1 });
    expect(github.redeliveries).to.deep.equal([{ hook: '/repos/octo/app/hooks/1', id: missed.id, guid: missed.guid }]);
    expect(github.requests.map((request) => [request.method, request.path])[0]).to.deep.equal(['GET', '/repos/octo/app/hooks/1/deliveries']);
    expect([...new Set(github.requests.map((request) => request.authorization))]).to.deep.equal([`bearer ${TOKEN}`]);
  });
});
