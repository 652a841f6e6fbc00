import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { createTopology } from '../src/contracts/topology.js';
import { deleteNamespace, uniqueNamespace } from '../test/helpers/test-nats.js';
import type { BenchResult } from './harness/bench-result.js';
import { buildService } from './harness/build-service.js';
import { positiveSetting } from './harness/positive-setting.js';
import { summariseCpuProfile, type CpuProfileSummary } from './harness/cpu-profile-summary.js';
import { findProcess } from './harness/proc-stats.js';
import { bareSubject, octokitSubject, oursSubject, type BenchSubject, type SubjectContext } from './ingress/bench-subjects.js';
import { evaluateIngress, ingressRatios, INGRESS_TARGETS } from './ingress/ingress-checks.js';
import { printIngressReport, toRow } from './ingress/ingress-report.js';
import { startSubjectRun, type SubjectMeasurement, type SubjectRun } from './ingress/subject-run.js';
import { createWebhookFixture, type WebhookFixture } from './ingress/webhook-fixture.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(ROOT, 'bench/results');

type SubjectId = BenchSubject['id'];

/** Settings, from the environment; every one has a default. */
export interface IngressBenchSettings {
  /** BENCH_DURATION: seconds of measured load per server, split into slices (default 12). */
  durationSeconds: number;
  /** BENCH_CONNECTIONS: concurrent keep-alive connections (default 32). */
  connections: number;
  /** BENCH_WARMUP: seconds of unmeasured load per server first (default 3). */
  warmupSeconds: number;
  /**
   * BENCH_SLICES: the measured time is split into this many slices, the servers taking turns,
   * forward and backward in turn, so a change in the machine's load (other work on a shared box)
   * hits all of them alike (default 6: an even number, so each pair goes first equally often).
   */
  slices: number;
  /**
   * BENCH_SUBJECTS: which servers, comma-separated (default `bare,octokit,ours,ours-unchecked`;
   * `ours-unchecked` is ours with the replay check and the event-age rule off). With both, each
   * runs in two processes started A B B A (`ours`, `ours-unchecked`, then their second processes in
   * the reverse order), and the on/off ratio is over both: whichever process starts first was seen
   * to come out slower by about the 5 % the ratio is held to.
   */
  subjects: SubjectId[];
  /** BENCH_PROFILE=1: run our ingress under `node --cpu-prof` and summarise the measured slices. */
  profile: boolean;
  /** BENCH_PRELOAD=1: start ours as `npm start` does (`--import dist/instrumentation.js`). */
  preload: boolean;
  /** BENCH_OURS_NODE_ARGS: extra node flags for our ingress, space-separated (default none). */
  oursNodeArgs: string[];
  /** BENCH_BUILD=0: measure the existing dist/ instead of running `npm run build` first. */
  build: boolean;
  /** NATS_URL (default nats://127.0.0.1:4222). */
  natsUrl: string;
  /** BENCH_SERVICE_DIR: another checkout of this service to measure as "ours" (default: this one). */
  serviceDir: string;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): IngressBenchSettings {
  const positive = (name: string, fallback: number) => positiveSetting(env, name, fallback);
  const flag = (name: string) => env[name] === '1' || env[name] === 'true';
  const subjects = (env.BENCH_SUBJECTS ?? 'bare,octokit,ours,ours-unchecked').split(',').map((s) => s.trim());
  for (const subject of subjects) {
    if (!['bare', 'octokit', 'ours', 'ours-unchecked'].includes(subject)) throw new Error(`BENCH_SUBJECTS: unknown subject "${subject}"`);
  }
  if (subjects.includes('ours') && subjects.includes('ours-unchecked')) subjects.push('ours-unchecked-2', 'ours-2');
  return {
    durationSeconds: positive('BENCH_DURATION', 12),
    connections: Math.round(positive('BENCH_CONNECTIONS', 32)),
    warmupSeconds: positive('BENCH_WARMUP', 3),
    slices: Math.round(positive('BENCH_SLICES', 6)),
    subjects: subjects as SubjectId[],
    profile: flag('BENCH_PROFILE'),
    preload: flag('BENCH_PRELOAD'),
    oursNodeArgs: (env.BENCH_OURS_NODE_ARGS ?? '').split(/\s+/).filter((arg) => arg !== ''),
    build: env.BENCH_BUILD !== '0' && env.BENCH_BUILD !== 'false',
    natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
    serviceDir: env.BENCH_SERVICE_DIR ?? ROOT,
  };
}

/**
 * Ingress throughput, latency and memory, in one run: a bare node:http responder (the ceiling),
 * @octokit/webhooks' node middleware (the reference) and our ingress (Koa → JetStream, 202 after
 * the PubAck), each in its own process, with signed 25 KiB pull_request deliveries, each with a
 * fresh delivery id and bytes of its own. Our answers must all be 202 and the GITHUB stream must hold
 * exactly as many new messages as there were 202s.
 */
export async function run(settings: IngressBenchSettings = readSettings()): Promise<BenchResult> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const secret = randomBytes(16).toString('hex');
  // Each of our two services has a namespace (streams) of its own, so each is counted alone.
  const namespaces: Record<string, string> = Object.fromEntries(
    ['ours', 'ours-unchecked', 'ours-2', 'ours-unchecked-2'].map((id) => [id, uniqueNamespace('bench')]),
  );
  const topology = createTopology(namespaces.ours!);
  const fixture = createWebhookFixture({ secret });
  const withOurs = settings.subjects.some((id) => id.startsWith('ours'));
  const build = withOurs && settings.build ? buildService(settings.serviceDir, log) : undefined;
  const profileDir = join(RESULTS, 'profiles');
  const profileFile = join(profileDir, `ingress-${stamp}.cpuprofile`);
  if (settings.profile) mkdirSync(profileDir, { recursive: true });
  const sliceSeconds = settings.durationSeconds / settings.slices;

  log(
    `${settings.connections} connections; per server ${settings.warmupSeconds} s warm-up, then ` +
      `${settings.slices} × ${sliceSeconds.toFixed(1)} s slices taken in turns; ` +
      `${fixture.body.length}-byte ${fixture.event}.${fixture.action}; namespaces ${Object.values(namespaces).join(', ')}`,
  );
  const nc = withOurs ? await connect({ servers: settings.natsUrl }) : undefined;
  // Our ingress's work includes the nats-server's; its CPU is reported when it can be told apart.
  const natsPid = findProcess('nats-server', new URL(settings.natsUrl.split(',')[0]!).port || '4222');
  const runs: SubjectRun[] = [];
  try {
    for (const id of settings.subjects) {
      const context: SubjectContext = {
        root: ROOT,
        serviceDir: settings.serviceDir,
        preload: settings.preload,
        nodeArgs: settings.oursNodeArgs,
        secret,
        natsUrl: settings.natsUrl,
        namespace: namespaces[id] ?? namespaces.ours!,
        // The checks-off row is profiled too (kept beside ours' profile), so the two can be compared.
        ...(settings.profile && id === 'ours' ? { cpuProfile: { dir: profileDir, name: `ingress-${stamp}.cpuprofile` } } : {}),
        ...(settings.profile && id === 'ours-unchecked' ? { cpuProfile: { dir: profileDir, name: `ingress-${stamp}-checks-off.cpuprofile` } } : {}),
      };
      const subject =
        id === 'bare'
          ? bareSubject(context)
          : id === 'octokit'
            ? octokitSubject(context)
            : oursSubject(context, { replayAndAge: id === 'ours' || id === 'ours-2', second: id.endsWith('-2') });
      log(`start ${subject.label}: ${[subject.command, ...subject.args].join(' ')}`);
      runs.push(
        await startSubjectRun({
          subject,
          fixture,
          connections: settings.connections,
          ...(id.startsWith('ours')
            ? oursChecks(nc!, createTopology(context.namespace).streams.github, natsPid)
            : {}),
          ...(id === 'octokit' ? { countDeliveries: octokitHandlerCalls } : {}),
        }),
      );
    }
    for (const run of runs) {
      log(`warm up ${run.subject.label}`);
      await run.warmUp(settings.warmupSeconds);
    }
    for (let slice = 0; slice < settings.slices; slice++) {
      // Forward, then backward (A B C D, D C B A, …): every pair of servers swaps order each slice,
      // so neither of two compared rows (checks on / off) always runs right after the other, and
      // a drift in the machine's load over the run hits both alike.
      const order = slice % 2 === 0 ? runs : [...runs].reverse();
      for (const run of order) await run.slice(sliceSeconds);
      log(`slice ${slice + 1}/${settings.slices} done`);
    }
    const measurements: SubjectMeasurement[] = [];
    for (const run of runs) measurements.push(await run.finish());

    const lastMessageIntact =
      nc && settings.subjects.includes('ours') ? await lastMessageMatches(nc, topology.streams.github, fixture) : undefined;
    const ours = measurements.find((m) => m.subject === 'ours');
    // Only the measured slices: start-up (module loading) and warm-up would otherwise dominate.
    const profile: CpuProfileSummary | undefined =
      settings.profile && ours
        ? summariseCpuProfile(profileFile, { projectRoot: settings.serviceDir, windows: ours.windows })
        : undefined;
    const checks = evaluateIngress(measurements, settings.connections, lastMessageIntact);
    const passed = checks.every((check) => check.passed);
    mkdirSync(RESULTS, { recursive: true });
    const resultFile = join(RESULTS, `ingress-${stamp}.json`);
    const result = {
      bench: 'ingress',
      at: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model },
      git: gitDescribe(settings.serviceDir),
      build,
      settings,
      payload: { bytes: fixture.body.length, event: fixture.event, action: fixture.action },
      targets: INGRESS_TARGETS,
      measurements,
      ratios: ingressRatios(measurements),
      checks,
      passed,
      ...(profile ? { profile: { file: profileFile, ...profile } } : {}),
    };
    writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
    printIngressReport({ measurements, checks, passed, profile });
    return { name: 'ingress', rows: measurements.map(toRow), checks, passed, resultFile };
  } finally {
    for (const run of runs) await run.abort();
    await nc?.close();
    if (withOurs) for (const namespace of Object.values(namespaces)) await deleteNamespace(namespace, settings.natsUrl);
  }
}

/** Our ingress: the 202 body names the stream, and the stream's message count is the truth. */
function oursChecks(nc: NatsConnection, stream: string, natsPid: number | undefined) {
  return {
    checkFirstAnswer: (body: string) => {
      const answer = JSON.parse(body) as { status?: string; result?: { status?: string; stream?: string } };
      if (answer.status !== 'accepted' || answer.result?.status !== 'queued' || answer.result.stream !== stream) {
        throw new Error(`unexpected 202 body from our ingress: ${body}`);
      }
    },
    countDeliveries: async () => (await (await jetstreamManager(nc)).streams.info(stream)).state.messages,
    ...(natsPid !== undefined ? { companionPid: natsPid } : {}),
  };
}

/** The octokit server counts its `pull_request` handler calls and serves the count. */
async function octokitHandlerCalls(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/received`);
  return ((await response.json()) as { received: number }).received;
}

async function lastMessageMatches(nc: NatsConnection, stream: string, fixture: WebhookFixture): Promise<boolean> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  const message = await jsm.streams.getMessage(stream, { seq: info.state.last_seq });
  const body = message ? fixture.bodyFor(message.header.get('X-GitHub-Delivery')) : undefined;
  return message !== null && body !== undefined && Buffer.from(message.data).equals(body);
}

function gitDescribe(dir: string): { commit?: string; srcDirty?: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', 'src'], { cwd: dir, encoding: 'utf8' }).trim() !== '';
    return { commit, srcDirty: dirty };
  } catch {
    return {};
  }
}

function log(message: string): void {
  console.log(`[ingress] ${message}`);
}
