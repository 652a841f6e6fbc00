import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { ensureStreams } from '../src/bus/ensure-streams.js';
import { loadStreamDefinitions } from '../src/bus/stream-definitions.js';
import { createTopology } from '../src/contracts/topology.js';
import { createLogger } from '../src/observability/logger.js';
import { examplePayload } from '../test/fixtures/webhook-examples.js';
import { publishRawDelivery } from '../test/helpers/publish-raw-delivery.js';
import { dropTestDatabase, testDatabaseUrl, uniqueDatabaseName } from '../test/helpers/test-database.js';
import { deleteNamespace, NATS_URL, uniqueNamespace } from '../test/helpers/test-nats.js';
import type { BenchResult } from './harness/bench-result.js';
import { positiveSetting } from './harness/positive-setting.js';
import { freePort, startServerProcess } from './harness/server-process.js';
import { serviceNodeFlags } from './harness/service-node-flags.js';
import { drainBaseline } from './actors/drain-baseline.js';

const MESSAGES = Math.round(positiveSetting(process.env, 'BENCH_BACKLOG', 10_000));
/** A 100,000-message backlog at a few hundred events/s takes minutes: the wait scales with it. */
const TIMEOUT_SECONDS = positiveSetting(process.env, 'BENCH_TIMEOUT', Math.max(600, Math.ceil(MESSAGES / 100)));
const RSS_TARGET_MB = 200;

/**
 * Issue 4's backlog bench: MESSAGES pull_request deliveries wait in the GITHUB stream before the
 * service starts; the service (built, in its own process) drains them end to end into PostgreSQL
 * (delivery row, analysis task, TASKS message, analysis attempt). Peak RSS is the process's VmHWM.
 * Baseline in the same run: a bare pull consumer writing one row per message (the floor any
 * JetStream → PostgreSQL pipeline pays).
 */
export async function run(): Promise<BenchResult> {
  const silent = createLogger({ level: 'fatal' });
  const payload = examplePayload('pull_request', (p) => p.action === 'opened');

  console.log(`\n[actors] baseline: bare consumer → one INSERT per message, ${MESSAGES} messages`);
  const baseline = await drainBaseline({ messages: MESSAGES, payload });
  console.log(`[actors] baseline: ${baseline.perSecond.toFixed(0)} msg/s`);

  const namespace = uniqueNamespace('bench');
  const databaseName = uniqueDatabaseName('orch_bench');
  const nc = await connect({ servers: NATS_URL });
  const db = new pg.Client({ connectionString: testDatabaseUrl(databaseName) });
  let service: Awaited<ReturnType<typeof startServerProcess>> | undefined;
  try {
    const topology = createTopology(namespace);
    await ensureStreams({ jsm: await jetstreamManager(nc), definitions: await loadStreamDefinitions('streams'), topology, logger: silent });
    console.log(`[actors] publishing a backlog of ${MESSAGES} deliveries`);
    // Many pull requests, as in a real backlog: one pull request's events serialise on its head row.
    const pullRequest = payload.pull_request as Record<string, any>;
    for (let i = 0; i < MESSAGES; i += 500) {
      if (i > 0 && i % 20_000 === 0) console.log(`[actors] … ${i} published`);
      await Promise.all(
        Array.from({ length: Math.min(500, MESSAGES - i) }, (_, j) => {
          const number = ((i + j) % 500) + 1;
          const shaped = { ...payload, number, pull_request: { ...pullRequest, number, head: { ...pullRequest.head, sha: randomUUID().replace(/-/g, '').padEnd(40, '0') } } };
          return publishRawDelivery(nc, topology, { deliveryId: randomUUID(), event: 'pull_request', payload: shaped });
        }),
      );
    }

    const port = await freePort();
    const built = existsSync('dist/main.js');
    const started = Date.now();
    service = await startServerProcess({
      name: 'orchestrator',
      command: process.execPath,
      // The heap flags `npm start` uses; BENCH_NODE_ARGS adds flags (e.g. --cpu-prof).
      args: [
        ...serviceNodeFlags(),
        ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        ...(built ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts']),
      ],
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        GITHUB_WEBHOOK_SECRET: 'bench-secret',
        NATS_NAMESPACE: namespace,
        DATABASE_URL: testDatabaseUrl(databaseName),
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        OTEL_SDK_DISABLED: 'true',
      },
      port,
      readyPath: '/health/ready',
      readyTimeoutMs: 60_000,
    });
    await db.connect();
    const settled = async () =>
      Number((await db.query(`select count(*) as n from webhook_deliveries where outcome <> 'received'`)).rows[0].n);
    const analysed = async () =>
      Number((await db.query(`select count(*) as n from tasks where status not in ('queued', 'running', 'retrying')`)).rows[0].n);
    let peakRss = 0;
    let done = 0;
    let deliveriesSeconds = 0;
    const cpuBefore = service.cpu();
    const deadline = Date.now() + TIMEOUT_SECONDS * 1000;
    let lastProgress = Date.now();
    while (Date.now() < deadline) {
      peakRss = Math.max(peakRss, service.memory().peakRssBytes);
      done = await settled();
      const quietTooLong = Date.now() - lastProgress > 15_000;
      if (quietTooLong) lastProgress = Date.now();
      if (process.env.BENCH_PROGRESS || quietTooLong) console.log(`  ${((Date.now() - started) / 1000).toFixed(1)} s: ${done} settled, ${await analysed()} analysed`);
      if (done >= MESSAGES && deliveriesSeconds === 0) deliveriesSeconds = (Date.now() - started) / 1000;
      if (done >= MESSAGES && (await analysed()) >= MESSAGES) break;
      await sleep(250);
    }
    const seconds = (Date.now() - started) / 1000;
    const cpuAfter = service.cpu();
    const cpuShare = (cpuAfter.userMs + cpuAfter.systemMs - cpuBefore.userMs - cpuBefore.systemMs) / 1000 / seconds;
    console.log(`[actors] service CPU: ${(cpuShare * 100).toFixed(0)} % of one core`);
    peakRss = Math.max(peakRss, service.memory().peakRssBytes);
    const tasks = Number((await db.query(`select count(*) as n from tasks`)).rows[0].n);
    if (process.env.BENCH_SHOW_OUTPUT) console.log(service.output().slice(-4000));
    const perSecond = MESSAGES / seconds;
    const deliveriesPerSecond = MESSAGES / (deliveriesSeconds || seconds);
    // MB as the other benches count them (10^6 bytes), so "< 200 MB" means the same everywhere.
    const peakMb = peakRss / 1e6;
    console.log(`[actors] drained ${done}/${MESSAGES} in ${seconds.toFixed(1)} s: ${perSecond.toFixed(0)} events/s, peak RSS ${peakMb.toFixed(0)} MB, ${tasks} tasks`);

    const result: BenchResult = {
      name: 'actors',
      rows: [
        { subject: 'bare consumer → INSERT (baseline)', 'msg/s': Math.round(baseline.perSecond), 'peak RSS MB': Math.round(baseline.peakRssMb) },
        {
          subject: 'orchestrator: deliveries recorded + tasks queued',
          'msg/s': Math.round(deliveriesPerSecond),
          'peak RSS MB': Math.round(peakMb),
          'ratio to baseline': (deliveriesPerSecond / baseline.perSecond).toFixed(2),
        },
        {
          subject: 'orchestrator: end to end incl. analysis attempts',
          'msg/s': Math.round(perSecond),
          'peak RSS MB': Math.round(peakMb),
          'ratio to baseline': (perSecond / baseline.perSecond).toFixed(2),
        },
      ],
      checks: [
        { name: 'every delivery processed', target: String(MESSAGES), actual: String(done), passed: done === MESSAGES },
        { name: 'one analysis task per delivery', target: String(MESSAGES), actual: String(tasks), passed: tasks === MESSAGES },
        { name: 'peak RSS with the backlog', target: `< ${RSS_TARGET_MB} MB`, actual: `${peakMb.toFixed(0)} MB`, passed: peakMb < RSS_TARGET_MB },
      ],
      passed: false,
    };
    result.passed = result.checks.every((check) => check.passed);
    mkdirSync('bench/results', { recursive: true });
    result.resultFile = path.join('bench/results', `actors-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(result.resultFile, JSON.stringify({ ...result, messages: MESSAGES, seconds, deliveriesSeconds, cpuShare, baseline }, null, 2));
    return result;
  } finally {
    await service?.stop().catch(() => undefined);
    await db.end().catch(() => undefined);
    await nc.close();
    await deleteNamespace(namespace);
    await dropTestDatabase(databaseName);
  }
}
