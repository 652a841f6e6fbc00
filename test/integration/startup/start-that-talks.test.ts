import { expect } from 'chai';
import { createOwnNatsServer, type OwnNatsServer } from '../../helpers/own-nats-server.js';
import { createOwnPostgres, type OwnPostgres } from '../../helpers/own-postgres.js';
import { startServiceProcess, type ServiceProcess } from '../../helpers/service-process.js';
import { TEST_SECRET } from '../../helpers/start-test-service.js';
import { dropTestDatabase, testDatabaseUrl, uniqueDatabaseName } from '../../helpers/test-database.js';
import { deleteNamespace, uniqueNamespace } from '../../helpers/test-nats.js';
import { waitFor } from '../../helpers/wait-for.js';

interface LogLine {
  msg: string;
  time: string;
  level: number;
  [field: string]: unknown;
}

const lines = (service: ServiceProcess): LogLine[] =>
  service
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

describe('startService with NATS unreachable', function () {
  this.timeout(90_000);
  let nats: OwnNatsServer;
  let service: ServiceProcess;
  const databaseName = uniqueDatabaseName();

  before(async () => {
    // A port nothing listens on yet: the service must explain, keep trying, and come up once NATS does.
    nats = await createOwnNatsServer();
    service = await startServiceProcess(
      { GITHUB_WEBHOOK_SECRET: TEST_SECRET, NATS_URL: nats.url, DATABASE_URL: testDatabaseUrl(databaseName) },
      { until: 'bound' },
    );
  });
  after(async () => {
    await service?.kill();
    await nats?.dispose();
    await dropTestDatabase(databaseName);
  });

  it('says which URL it tried, what happened and how to get NATS, within 2 s of starting', async () => {
    const explanation = await waitFor(() => lines(service).find((line) => line.msg.startsWith('NATS is not reachable at')), {
      timeoutMs: 10_000,
      message: 'no explanation of the missing NATS',
    });
    const started = lines(service).find((line) => line.msg.startsWith('starting:'))!;
    // Both times come from the service's own clock, so a slow test runner does not matter.
    expect(Date.parse(explanation.time) - Date.parse(started.time)).to.be.below(2000);
    expect(explanation.msg).to.include(nats.url);
    expect(explanation.msg).to.match(/ECONNREFUSED|refused|no answer yet/i);
    expect(explanation.msg).to.include('scripts/ensure-services.sh');
    expect(explanation.msg).to.include('docker compose up -d nats postgres');
    expect(explanation).to.include({ dependency: 'NATS', url: nats.url });
  });

  it('answers /health/live while waiting, and /health/ready 503 naming NATS', async () => {
    const live = await fetch(`${service.url}/health/live`);
    expect(live.status).to.equal(200);
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).to.equal(503);
    const body = (await ready.json()) as { reasons: string[] };
    expect(body.reasons.join(' ')).to.include(`NATS is not reachable at ${nats.url}`);
    const webhook = await fetch(`${service.url}/api/v1/webhooks/github`, { method: 'POST', body: '{}' });
    expect(webhook.status).to.equal(503);
    expect(webhook.headers.get('retry-after')).to.equal('5');
  });

  it('logs each retry, then becomes ready once NATS is started', async () => {
    await waitFor(() => lines(service).some((line) => /NATS still not reachable .* try \d+ in \d+ ms/.test(line.msg)), {
      timeoutMs: 15_000,
      message: 'no retry logged',
    });
    await nats.start();
    await waitFor(async () => (await fetch(`${service.url}/health/ready`)).status === 200, { timeoutMs: 45_000, intervalMs: 250 });
    const messages = lines(service).map((line) => line.msg);
    expect(messages).to.include(`NATS reached at ${nats.url}`);
    expect(messages).to.include('listening');
  });
});

describe('startService with PostgreSQL unreachable', function () {
  this.timeout(90_000);
  let postgres: OwnPostgres;
  let service: ServiceProcess;
  const namespace = uniqueNamespace('pgdown');

  before(async () => {
    postgres = await createOwnPostgres();
    service = await startServiceProcess(
      { GITHUB_WEBHOOK_SECRET: TEST_SECRET, NATS_NAMESPACE: namespace, DATABASE_URL: postgres.url('orchestrator') },
      { until: 'bound' },
    );
  });
  after(async () => {
    await service?.kill();
    postgres?.dispose();
    await deleteNamespace(namespace);
  });

  it('explains within 2 s, answers /health/live meanwhile, and becomes ready once PostgreSQL starts', async () => {
    const explanation = await waitFor(() => lines(service).find((line) => line.msg.startsWith('PostgreSQL is not reachable at')), {
      timeoutMs: 10_000,
      message: 'no explanation of the missing PostgreSQL',
    });
    const started = lines(service).find((line) => line.msg.startsWith('starting:'))!;
    expect(Date.parse(explanation.time) - Date.parse(started.time)).to.be.below(2000);
    expect(explanation.msg).to.include(postgres.url('orchestrator'));
    expect(explanation.msg).to.include('docker compose up -d nats postgres');
    expect((await fetch(`${service.url}/health/live`)).status).to.equal(200);
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).to.equal(503);
    expect(((await ready.json()) as { reasons: string[] }).reasons.join(' ')).to.include('PostgreSQL is not reachable');
    postgres.start();
    await waitFor(async () => (await fetch(`${service.url}/health/ready`)).status === 200, { timeoutMs: 45_000, intervalMs: 250 });
    expect(lines(service).map((line) => line.msg)).to.include(`PostgreSQL reached at ${postgres.url('orchestrator')}`);
  });
});
