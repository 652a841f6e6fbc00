import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envSchema } from '../src/config/config-schema.js';
import type { BenchResult } from './harness/bench-result.js';
import { buildService } from './harness/build-service.js';
import { summariseCpuProfile } from './harness/cpu-profile-summary.js';
import { formatTable } from './harness/format-table.js';
import { positiveSetting } from './harness/positive-setting.js';
import { npmStartCommand, npmStartNodeArgs } from './harness/service-node-flags.js';
import { distinctPullRequests } from './e2e/distinct-pull-requests.js';
import { E2E_TARGETS, e2eRatios, e2eRow, evaluateE2e, evaluateOctokitYardstick, octokitRow } from './e2e/e2e-checks.js';
import { runE2eSubject, type E2eMeasurement } from './e2e/e2e-run.js';
import { summariseE2e } from './e2e/e2e-summary.js';
import { oursE2e, referenceE2e, type E2eSubjectContext, type E2eSubjectId } from './e2e/e2e-subjects.js';
import { runOctokitWebhooks, summariseOctokitWebhooks, type OctokitWebhookMeasurement } from './e2e/octokit-webhook-run.js';

/** What the bench sets for the service itself (e2e-subjects.ts); every other setting is the user's. */
const SET_BY_BENCH = new Set(['PORT', 'HOST', 'GITHUB_WEBHOOK_SECRET', 'NATS_URL', 'DATABASE_URL', 'LOG_LEVEL']);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Settings, from the environment; every one has a default. */
export interface E2eBenchSettings {
  /** BENCH_E2E_DELIVERIES: distinct pull requests sent under load (default 4000). */
  deliveries: number;
  /** BENCH_CONNECTIONS: concurrent connections (default 32). */
  connections: number;
  /** BENCH_E2E_POLL_MS: how often PostgreSQL is polled for finished deliveries (default 50). */
  pollMs: number;
  /** BENCH_E2E_TIMEOUT: seconds to wait for a drain before giving up (default 600). */
  timeoutSeconds: number;
  /** BENCH_E2E_STALL: give up sooner when no delivery has finished for this many seconds (default 90). */
  stallSeconds: number;
  /**
   * BENCH_E2E_SUBJECTS: `reference,ours,ours-x2,octokit` (default all four; the first goes first in
   * round 1). `ours-x2` is two instances sharing the consumers and the database, each sent half the
   * load; `octokit` is @octokit/webhooks taking the same deliveries, the yardstick of ours' webhook
   * req/s while its actors drain.
   */
  subjects: (E2eSubjectId | 'octokit')[];
  /**
   * BENCH_E2E_ROUNDS: each subject runs this many times, the order reversed every round
   * (A B, B A, …) so a drift in the shared machine's load hits both alike (default 2).
   */
  rounds: number;
  /** BENCH_BUILD=0: measure the existing dist/ instead of running `npm run build` first. */
  build: boolean;
  /** BENCH_PROFILE=1: ours runs under `node --cpu-prof`; its top self-time functions are printed. */
  profile: boolean;
  /** BENCH_LOG_LEVEL: the service's LOG_LEVEL (default: unset, `npm start`'s own default). */
  logLevel?: string;
  natsUrl: string;
}

export function readE2eSettings(env: NodeJS.ProcessEnv = process.env): E2eBenchSettings {
  const positive = (name: string, fallback: number) => positiveSetting(env, name, fallback);
  const subjects = (env.BENCH_E2E_SUBJECTS ?? 'reference,ours,ours-x2,octokit').split(',').map((s) => s.trim());
  for (const subject of subjects) {
    if (!['reference', 'ours', 'ours-x2', 'octokit'].includes(subject)) throw new Error(`BENCH_E2E_SUBJECTS: unknown subject "${subject}"`);
  }
  return {
    deliveries: Math.round(positive('BENCH_E2E_DELIVERIES', 4000)),
    connections: Math.round(positive('BENCH_CONNECTIONS', 32)),
    pollMs: positive('BENCH_E2E_POLL_MS', 50),
    timeoutSeconds: positive('BENCH_E2E_TIMEOUT', 600),
    stallSeconds: positive('BENCH_E2E_STALL', 90),
    subjects: subjects as E2eBenchSettings['subjects'],
    rounds: Math.round(positive('BENCH_E2E_ROUNDS', 2)),
    build: env.BENCH_BUILD !== '0' && env.BENCH_BUILD !== 'false',
    profile: env.BENCH_PROFILE === '1' || env.BENCH_PROFILE === 'true',
    ...(env.BENCH_LOG_LEVEL ? { logLevel: env.BENCH_LOG_LEVEL } : {}),
    natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
  };
}

/**
 * Issue 8's end-to-end bench: N signed `pull_request.opened` deliveries for distinct pull requests,
 * over HTTP at 32 connections, until each has its `pull_request_analysis` task in a final state —
 * against ours as `npm start` runs it, and a naive pipeline of the same shape measured in the same
 * run. Each subject runs alone on the machine, one after the other.
 */
export async function run(settings: E2eBenchSettings = readE2eSettings()): Promise<BenchResult> {
  const secret = randomBytes(16).toString('hex');
  const deliveries = distinctPullRequests({ secret });
  const withOurs = settings.subjects.some((id) => id === 'ours' || id === 'ours-x2');
  const build = withOurs && settings.build ? buildService(ROOT, log) : undefined;
  const profileDir = settings.profile ? profileDirectory() : undefined;
  const context: E2eSubjectContext = {
    root: ROOT,
    secret,
    natsUrl: settings.natsUrl,
    ...(settings.logLevel ? { logLevel: settings.logLevel } : {}),
    ...(profileDir ? { profileDir } : {}),
  };
  if (withOurs) {
    const start = npmStartCommand(join(ROOT, 'package.json'));
    log(`ours runs as npm start does: ${[start.command, ...start.args].join(' ')} → node ${npmStartNodeArgs(join(ROOT, 'package.json')).join(' ')}`);
  }
  const inherited = inheritedSettings();
  if (inherited.length > 0) log(`the service inherits ${inherited.join(' ')}`);
  log(`${settings.deliveries} distinct pull_request.opened deliveries (~${deliveries.approximateBytes} bytes each) at ${settings.connections} connections`);

  const measurements: E2eMeasurement[] = [];
  const octokitRuns: OctokitWebhookMeasurement[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    const order = round % 2 === 1 ? settings.subjects : [...settings.subjects].reverse();
    for (const id of order) {
      if (id === 'octokit') {
        octokitRuns.push(await runOctokitWebhooks({ root: ROOT, secret, round, deliveries, count: settings.deliveries, connections: settings.connections, log }));
        continue;
      }
      measurements.push(
        await runE2eSubject({
          subject: id === 'reference' ? referenceE2e(context) : oursE2e(context, id === 'ours-x2' ? 2 : 1),
          round,
          deliveries,
          count: settings.deliveries,
          connections: settings.connections,
          pollMs: settings.pollMs,
          timeoutMs: settings.timeoutSeconds * 1000,
          stallMs: settings.stallSeconds * 1000,
          log,
        }),
      );
    }
  }
  const summaries = settings.subjects.flatMap((id) => (id === 'octokit' ? [] : [summariseE2e(measurements, id)!]));
  const octokit = summariseOctokitWebhooks(octokitRuns);
  const ratios = e2eRatios(summaries.find((s) => s.subject === 'ours'), summaries.find((s) => s.subject === 'reference'), summaries.find((s) => s.subject === 'ours-x2'), octokit);
  const checks = [...evaluateE2e(measurements, settings.connections), ...evaluateOctokitYardstick(octokitRuns, ratios)];
  const passed = checks.every((check) => check.passed);
  const rows = [...summaries.map((summary) => e2eRow(summary, ratios)), ...(octokit ? [octokitRow(octokit)] : [])];

  const fmt = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(2)}×`);
  if (settings.rounds > 1) {
    console.log('\nper round:');
    const roundRow = (m: E2eMeasurement) => {
      const { rounds: _rounds, ...row } = e2eRow(summariseE2e([m], m.subject)!, {});
      return { round: m.round, ...row };
    };
    console.log(formatTable(measurements.map(roundRow)));
  }
  console.log(`\n${formatTable(rows)}\n`);
  console.log(`ours/reference (same run): end to end ${fmt(ratios.endToEnd)}, webhook req/s while draining ${fmt(ratios.webhookRequests)}`);
  if (ratios.webhookToOctokit !== undefined) console.log(`ours/@octokit/webhooks (same run, same deliveries): webhook req/s while the actors drain ${fmt(ratios.webhookToOctokit)}`);
  if (ratios.twoInstances !== undefined) console.log(`two instances / one (same run): end to end ${fmt(ratios.twoInstances)}`);
  console.log(`\n${formatTable(checks.map((c) => ({ check: c.name, target: c.target, actual: c.actual, '': c.passed ? 'ok' : 'MISSED' })))}`);
  if (profileDir) printProfiles(profileDir, settings.deliveries);
  console.log(`\ne2e: ${passed ? 'PASS' : 'FAIL'}`);

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsDir = join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const resultFile = join(resultsDir, `e2e-${stamp}.json`);
  const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model };
  const perRound = measurements.map(({ latencies: _latencies, ...m }) => m);
  const octokitRounds = octokitRuns.map(({ latencies: _latencies, ...run }) => run);
  const record = { bench: 'e2e', at: new Date().toISOString(), machine, build, settings, targets: E2E_TARGETS, summaries, octokit, ratios, checks, passed, perRound, octokitRounds };
  writeFileSync(resultFile, `${JSON.stringify(record, null, 2)}\n`);
  return { name: 'e2e', rows, checks, passed, resultFile };
}

/**
 * The service's settings (src/config) that this environment sets and the bench does not: the
 * service inherits them, as `npm start` would, and the output says so. Secrets are not shown.
 */
function inheritedSettings(): string[] {
  return Object.keys(envSchema.shape)
    .filter((name) => process.env[name] !== undefined && !SET_BY_BENCH.has(name))
    .map((name) => `${name}=${/SECRET|TOKEN|KEY|PASSWORD/.test(name) ? '…' : process.env[name]}`);
}

function profileDirectory(): string {
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  return mkdtempSync(join(ROOT, 'bench/results/profiles-e2e-'));
}

/** Each profile ours wrote (one per round): busy time per delivery, and where it went. */
function printProfiles(dir: string, deliveries: number): void {
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
    const summary = summariseCpuProfile(join(dir, file), { projectRoot: ROOT, top: 30 });
    console.log(`\nprofile ${join(dir, file)}: busy ${summary.busyMs} ms = ${(summary.busyMs / deliveries).toFixed(2)} ms per delivery (profiler included)`);
    console.log(formatTable(summary.packages.map((row) => ({ package: row.name, 'self ms': row.selfMs, '%': row.percent }))));
    console.log(formatTable(summary.functions.map((row) => ({ function: row.name, where: row.location, 'self ms': row.selfMs, '%': row.percent }))));
  }
}

function log(message: string): void {
  console.log(`[e2e] ${message}`);
}
