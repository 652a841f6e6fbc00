import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { expect } from 'chai';
import { ORCHESTRATOR_BIN, buildOrchestrator, runOrchestrator, type CliRun } from '../../helpers/orchestrator-binary.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { freePort } from '../../helpers/tcp.js';
import { dropTestDatabase, testDatabaseUrl, uniqueDatabaseName } from '../../helpers/test-database.js';
import { deleteNamespace, NATS_URL, uniqueNamespace } from '../../helpers/test-nats.js';
import { waitFor } from '../../helpers/wait-for.js';

const TOKEN = 'cli-test-token-0123456789';
const LEAVES = [
  'serve',
  'migrate',
  'streams diff',
  'streams apply',
  'tasks list',
  'tasks show',
  'tasks retry',
  'deliveries list',
  'deliveries show',
  'deliveries replay',
  'dlq list',
  'dlq redrive',
  'recover',
  'send',
];

const json = (run: CliRun) => JSON.parse(run.stdout) as Record<string, any>;

describe('orchestrator (the built binary)', function () {
  this.timeout(60_000);
  let service: TestService;
  let stoppedUrl: string;
  let env: Record<string, string>;
  let stopped: Record<string, string>;

  before(async function () {
    this.timeout(240_000);
    buildOrchestrator();
    service = await startTestService({ API_TOKEN: TOKEN });
    const port = await freePort();
    stoppedUrl = `http://127.0.0.1:${port}`;
    env = { ORCHESTRATOR_URL: service.url, API_TOKEN: TOKEN, GITHUB_WEBHOOK_SECRET: TEST_SECRET };
    stopped = { ...env, ORCHESTRATOR_URL: stoppedUrl };
  });
  after(async () => {
    await service?.dispose();
  });

  const cli = (...args: string[]) => runOrchestrator(args, env);
  const against = (overrides: Record<string, string>, ...args: string[]) => runOrchestrator(args, { ...env, ...overrides });

  describe('--help', () => {
    it('lists every command at the top level and exits 0', async () => {
      const help = await cli('--help');
      expect(help.code).to.equal(0);
      for (const leaf of LEAVES) expect(help.stdout).to.match(new RegExp(`^  ${leaf}\\b`, 'm'), leaf);
      expect(help.stdout).to.include('Exit codes: 0 ok, 1 failed or refused, 2 usage, 3 not found, 4');
    });

    it('answers --help on every level, and exits 2 for an unknown command, a missing argument or no command', async () => {
      for (const group of ['tasks', 'deliveries', 'dlq', 'streams', 'send', 'migrate', 'serve', 'tasks list', 'dlq redrive']) {
        const help = await cli(...group.split(' '), '--help');
        expect(help.code, group).to.equal(0);
        expect(help.stdout, group).to.include(`Usage: orchestrator ${group}`);
      }
      expect((await cli('frobnicate')).code).to.equal(2);
      expect((await cli('tasks', 'show')).code).to.equal(2);
      expect((await cli('tasks')).code).to.equal(2);
      expect((await cli('tasks', 'list', '--limit', 'many')).code).to.equal(2);
      expect((await cli()).code).to.equal(2);
    });
  });

  describe('send', () => {
    it('signs a real example payload and posts it: 202 queued, then duplicate for the same delivery id', async () => {
      const deliveryId = randomUUID();
      const first = await cli('send', 'issues', '--action', 'opened', '--delivery-id', deliveryId, '--json');
      expect(first.code, first.stderr).to.equal(0);
      expect(json(first)).to.deep.include({ status: 202, delivery_id: deliveryId, event: 'issues' });
      expect(json(first).answer.result.status).to.equal('queued');
      const again = await cli('send', 'issues', '--action', 'opened', '--delivery-id', deliveryId);
      expect(again.code).to.equal(0);
      expect(again.stdout).to.include(`issues ${deliveryId}: 202 duplicate`);
    });

    it('refuses without a secret (2) and an event without an example (3); the stopped service is unreachable (4)', async () => {
      expect((await against({ GITHUB_WEBHOOK_SECRET: '' }, 'send', 'ping')).code).to.equal(2);
      expect((await cli('send', 'no_such_event')).code).to.equal(3);
      const down = await runOrchestrator(['send', 'ping'], stopped);
      expect(down.code).to.equal(4);
      expect(down.stderr).to.include(`cannot reach the service at ${stoppedUrl} (ECONNREFUSED)`);
    });
  });

  describe('deliveries', () => {
    let deliveryId: string;
    before(async () => {
      deliveryId = randomUUID();
      expect((await cli('send', 'issues', '--action', 'opened', '--delivery-id', deliveryId)).code).to.equal(0);
      await waitFor(async () => (await cli('deliveries', 'show', deliveryId, '--json')).stdout.includes('"outcome": "ignored"'));
    });

    it('lists (table and JSON), shows and replays a delivery', async () => {
      const table = await cli('deliveries', 'list', '--event', 'issues');
      expect(table.code).to.equal(0);
      expect(table.stdout).to.match(/^DELIVERY\s+EVENT\s+REPOSITORY\s+OUTCOME/m);
      expect(table.stdout).to.include(deliveryId);
      const listed = await cli('deliveries', 'list', '--event', 'issues', '--json');
      expect(json(listed).deliveries.map((d: { delivery_id: string }) => d.delivery_id)).to.include(deliveryId);
      const shown = await cli('deliveries', 'show', deliveryId);
      expect(shown.code).to.equal(0);
      expect(shown.stdout).to.match(/^outcome\s+ignored$/m);
      const replayed = await cli('deliveries', 'replay', deliveryId, '--json');
      expect(replayed.code).to.equal(0);
      expect(json(replayed)).to.include({ status: 'queued', delivery_id: deliveryId });
    });

    it('exits 3 for an unknown delivery and 4 against a stopped service', async () => {
      expect((await cli('deliveries', 'show', 'no-such-delivery')).code).to.equal(3);
      expect((await cli('deliveries', 'replay', 'no-such-delivery')).code).to.equal(3);
      for (const args of [['deliveries', 'list'], ['deliveries', 'show', deliveryId], ['deliveries', 'replay', deliveryId]]) {
        expect((await runOrchestrator(args, stopped)).code, args.join(' ')).to.equal(4);
      }
    });
  });

  describe('tasks', () => {
    let taskId: string;
    before(async () => {
      // Without GitHub credentials the analysis fails for good ("not configured"): a task to retry.
      const deliveryId = randomUUID();
      expect((await cli('send', 'pull_request', '--action', 'opened', '--delivery-id', deliveryId)).code).to.equal(0);
      taskId = await waitFor(async () => {
        const page = json(await cli('tasks', 'list', '--delivery', deliveryId, '--json'));
        const task = page.tasks.find((t: { status: string }) => t.status === 'failed');
        return task?.id as string | undefined;
      });
    });

    it('lists, shows and retries a failed task', async () => {
      const table = await cli('tasks', 'list', '--status', 'failed');
      expect(table.code).to.equal(0);
      expect(table.stdout).to.match(/^ID\s+TYPE\s+STATUS/m);
      expect(table.stdout).to.include(taskId);
      const shown = await cli('tasks', 'show', taskId, '--json');
      expect(shown.code).to.equal(0);
      expect(json(shown)).to.include({ id: taskId, task_type: 'pull_request_analysis', status: 'failed' });
      expect(json(shown).attempts).to.have.length.at.least(1);
      const retried = await cli('tasks', 'retry', taskId);
      expect(retried.code, retried.stderr).to.equal(0);
      expect(retried.stdout).to.include(`task ${taskId} is queued again`);
    });

    it('exits 3 for an unknown task, 2 for a malformed id, 4 against a stopped service', async () => {
      expect((await cli('tasks', 'show', randomUUID())).code).to.equal(3);
      expect((await cli('tasks', 'retry', randomUUID())).code).to.equal(3);
      expect((await cli('tasks', 'show', 'not-a-uuid')).code).to.equal(2);
      for (const args of [['tasks', 'list'], ['tasks', 'show', taskId], ['tasks', 'retry', taskId]]) {
        expect((await runOrchestrator(args, stopped)).code, args.join(' ')).to.equal(4);
      }
    });
  });

  describe('dlq', () => {
    it('lists dead letters (none yet), exits 3 redriving an unknown one and 4 against a stopped service', async () => {
      const listed = await cli('dlq', 'list', '--json');
      expect(listed.code).to.equal(0);
      expect(json(listed)).to.include({ total: 0 });
      expect((await cli('dlq', 'list')).stdout).to.include('(none)');
      const unknown = await cli('dlq', 'redrive', '999999');
      expect(unknown.code).to.equal(3);
      expect(unknown.stderr).to.include('not_found');
      expect((await runOrchestrator(['dlq', 'list'], stopped)).code).to.equal(4);
      expect((await runOrchestrator(['dlq', 'redrive', '1'], stopped)).code).to.equal(4);
    });
  });

  describe('migrate', () => {
    const name = uniqueDatabaseName();
    after(() => dropTestDatabase(name));

    it('creates and migrates a database, then finds nothing to apply; exits 4 when PostgreSQL is unreachable', async () => {
      const first = await against({ DATABASE_URL: testDatabaseUrl(name) }, 'migrate');
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stdout).to.match(/applied Migration\d+_initial/);
      const second = await against({ DATABASE_URL: testDatabaseUrl(name) }, 'migrate', '--json');
      expect(second.code).to.equal(0);
      expect(json(second).applied).to.deep.equal([]);
      const port = await freePort();
      const down = await against({ DATABASE_URL: `postgresql://postgres:hunter2secret@127.0.0.1:${port}/x` }, 'migrate');
      expect(down.code).to.equal(4);
      expect(down.stderr).to.include(`cannot reach PostgreSQL at postgresql://postgres:***@127.0.0.1:${port}/x`);
      expect(down.stderr).not.to.include('hunter2secret');
    });
  });

  describe('streams', () => {
    const namespace = uniqueNamespace('cli');
    after(() => deleteNamespace(namespace));

    it('diffs (exit 1 while missing or differing), applies, and diffs clean; exits 4 when NATS is unreachable', async () => {
      const scoped = { NATS_NAMESPACE: namespace, NATS_URL };
      const missing = await against(scoped, 'streams', 'diff', '--json');
      expect(missing.code).to.equal(1);
      expect(json(missing).differences.filter((d: { state: string }) => d.state === 'missing')).to.have.length.at.least(3);
      const applied = await against(scoped, 'streams', 'apply');
      expect(applied.code, applied.stderr).to.equal(0);
      expect(applied.stdout).to.include(`created    ${namespace}_GITHUB`);
      const clean = await against(scoped, 'streams', 'diff');
      expect(clean.code).to.equal(0);
      expect(clean.stdout).to.include('the server matches streams/');

      const nc = await connect({ servers: NATS_URL });
      const jsm = await jetstreamManager(nc);
      await jsm.streams.update(`${namespace}_TASKS`, { max_age: 3600 * 1e9 });
      await jsm.consumers.add(`${namespace}_TASKS`, { durable_name: 'hand_made', ack_policy: 'explicit' as never });
      await nc.close();
      const drift = await against(scoped, 'streams', 'diff');
      expect(drift.code).to.equal(1);
      expect(drift.stdout).to.match(new RegExp(`stream\\s+${namespace}_TASKS\\s+differs\\s+max_age`));
      expect(drift.stdout).to.match(new RegExp(`consumer\\s+${namespace}_TASKS/hand_made\\s+extra`));
      const corrected = await against(scoped, 'streams', 'apply', '--json');
      expect(json(corrected).updated).to.deep.equal([{ name: `${namespace}_TASKS`, changed: ['max_age'] }]);

      const port = await freePort();
      expect((await against({ ...scoped, NATS_URL: `nats://127.0.0.1:${port}` }, 'streams', 'diff')).code).to.equal(4);
      expect((await against({ ...scoped, NATS_URL: `nats://127.0.0.1:${port}` }, 'streams', 'apply')).code).to.equal(4);
    });
  });

  describe('serve', () => {
    const namespace = uniqueNamespace('srv');
    const name = uniqueDatabaseName();
    after(async () => {
      await deleteNamespace(namespace);
      await dropTestDatabase(name);
    });

    it('runs the service until SIGTERM, then exits 0', async () => {
      const child = spawn(process.execPath, [ORCHESTRATOR_BIN, 'serve'], {
        env: {
          ...process.env,
          OTEL_SDK_DISABLED: 'true',
          PORT: '0',
          HOST: '127.0.0.1',
          GITHUB_WEBHOOK_SECRET: TEST_SECRET,
          NATS_NAMESPACE: namespace,
          DATABASE_URL: testDatabaseUrl(name),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const url = await waitFor(() => /"url":"(http:[^"]+)"[^\n]*"msg":"listening"/.exec(out)?.[1], { timeoutMs: 45_000 });
        expect((await fetch(`${url}/health/ready`)).status).to.equal(200);
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).to.equal(0);
    });
  });
});
