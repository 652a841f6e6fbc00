import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { createTopology } from '../../src/contracts/topology.js';
import { startCodegenDouble } from '../helpers/codegen-api-double.js';
import { startGithubGraphqlDouble } from '../helpers/github-graphql-double.js';
import { uniqueNamespace } from '../helpers/test-nats.js';
import { faultDeliveries } from './fault-deliveries.js';
import type { FaultContext, FaultScenario } from './fault-scenario.js';
import type { FaultStack } from './fault-stack.js';
import { faultTimeline } from './fault-timeline.js';
import { faultVerdict, type FaultVerdict } from './fault-verdict.js';
import { createOrchestratorInstance } from './orchestrator-instance.js';
import { sendRedelivering, type SendReport } from './redelivering-sender.js';

export interface FaultRunOptions {
  stack: FaultStack;
  /** The repository root (dist/ built): instances run its `npm start` command. */
  root: string;
  /** How long to wait, after the fault ended and every delivery was sent, for the work to finish. Default 120 s. */
  settleMs?: number;
  /** Always read the timeline of the tasks that finished last (FAULTS_TIMELINE=1), not only when the recovery target is missed. */
  timeline?: boolean;
  log(message: string): void;
}

/** A scenario's outcome: the verdict, how sending went, and the instances' output when it failed. */
export interface FaultRun {
  scenario: FaultScenario;
  verdict: FaultVerdict;
  send: SendReport;
  passed: boolean;
  /** Why it did not pass, one line each (verdict problems, a missed recovery target, a crash). */
  failures: string[];
  /** The instances' output ends, for diagnosis. */
  output: string;
  /** How long the fault lasted (its start to its end: a restart until the instance is ready again), in seconds. */
  faultSeconds: number | undefined;
  /** Where the time went (the tasks that finished last, attempt by attempt): when the recovery target was missed, or with `timeline`. */
  timeline?: string;
}

const SECRET = 'faults-webhook-secret-7d1c';

/**
 * Runs one scenario on the stack: a namespace and database of its own, fresh GitHub and Codegen
 * doubles, two orchestrator instances sharing the consumers, the scenario's deliveries sent while
 * its fault is injected, then a wait for the work to finish and the verdict.
 */
export async function runFaultScenario(scenario: FaultScenario, options: FaultRunOptions): Promise<FaultRun> {
  const { stack, log } = options;
  const namespace = uniqueNamespace('flt');
  const database = `orch_faults_${randomBytes(5).toString('hex')}`;
  const github = await startGithubGraphqlDouble();
  const codegen = await startCodegenDouble();
  // Runs end at the first status read, so the follow-up is short and a run's count is its creates.
  codegen.setStatusSequence(['COMPLETE']);
  const plan = faultDeliveries({ secret: SECRET, pullRequests: scenario.pullRequests, failingPullRequests: scenario.failingPullRequests });
  plan.mockGithub(github);
  scenario.prepare?.({ github, codegen });
  const rulesDir = mkdtempSync(path.join(tmpdir(), 'orch-faults-rules-'));
  const rulesFile = path.join(rulesDir, 'rules.json');
  // A 1 s coalescing window (15 s by default) keeps the runs short; the rule itself is unchanged.
  writeFileSync(rulesFile, JSON.stringify({ defaults: { coalesceWindowSeconds: 1 } }));
  const env = {
    GITHUB_WEBHOOK_SECRET: SECRET,
    NATS_URL: stack.cluster.urls,
    NATS_NAMESPACE: namespace,
    NATS_REPLICAS: '3',
    DATABASE_URL: stack.postgres.url(database),
    GITHUB_GRAPHQL_URL: github.url,
    GITHUB_TOKEN: 'ghp_faultsSuiteToken00000000000000000000',
    GITHUB_TIMEOUT_MS: '5000',
    CODEGEN_API_URL: codegen.url,
    CODEGEN_TOKEN: codegen.token,
    CODEGEN_ORG_ID: codegen.orgId,
    CODEGEN_TIMEOUT_MS: '3000',
    RULES_FILE: rulesFile,
    RECOVERY_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    OTEL_SDK_DISABLED: 'true',
  };
  const instances = [createOrchestratorInstance('instance A', options.root, env), createOrchestratorInstance('instance B', options.root, env)] as const;
  const topology = createTopology(namespace);
  let nc: NatsConnection | undefined;
  const db = { client: undefined as pg.Client | undefined };
  const failures: string[] = [];
  try {
    // One after the other: the first creates the database and applies the migrations.
    await instances[0].start();
    await instances[1].start();
    nc = await connect({ servers: stack.cluster.urls.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    const jsm = await jetstreamManager(nc);
    const query = async (sql: string, params: unknown[] = []) => {
      for (let tries = 0; ; tries++) {
        try {
          if (!db.client) {
            const client = new pg.Client({ connectionString: stack.postgres.url(database) });
            client.on('error', () => undefined);
            await client.connect();
            db.client = client;
          }
          return await db.client.query(sql, params);
        } catch (error) {
          await db.client?.end().catch(() => undefined);
          db.client = undefined;
          if (tries >= 200) throw error;
          await sleep(250);
        }
      }
    };
    const accepted = new Set<string>();
    const marks: Array<{ at: number; what: string }> = [];
    let faultStartedAt: number | undefined;
    const context: FaultContext = {
      stack,
      instances,
      github,
      codegen,
      query: (sql) => query(sql),
      githubStream: topology.streams.github,
      accepted: () => accepted.size,
      async until(condition, timeoutMs, what) {
        const deadline = Date.now() + timeoutMs;
        while (!(await condition())) {
          if (Date.now() > deadline) throw new Error(`${scenario.name}: gave up waiting for ${what}`);
          await sleep(100);
        }
      },
      log,
      mark: (what) => marks.push({ at: Date.now(), what }),
      faultStarts: () => {
        faultStartedAt ??= Date.now();
      },
    };
    log(`${scenario.name}: sending ${plan.deliveries.length} deliveries at ${scenario.perSecond}/s over both instances`);
    const sending = sendRedelivering(plan.deliveries, {
      targets: () => instances.map((instance) => instance.baseUrl),
      perSecond: scenario.perSecond,
      accepted,
    });
    const faultEndedAt = await scenario.inject(context).catch((error: unknown) => {
      failures.push(`the fault could not be injected: ${error instanceof Error ? error.message : String(error)}`);
      return Date.now();
    });
    const report = await sending;
    log(`${scenario.name}: fault over; ${report.accepted.size}/${report.sent} accepted after ${report.refused} refused tries ${JSON.stringify(report.refusals)}`);
    for (const instance of instances) if (!instance.baseUrl) await instance.start();

    const streams = Object.values(topology.streams);
    const finished = await waitUntilFinished({ query, jsm, streams, accepted: report.accepted, settleMs: options.settleMs ?? 120_000 });
    await query('select 1');
    const verdict = await faultVerdict({ db: db.client!, jsm, streams, dlqStream: topology.streams.dlq, codegen, plan, accepted: report.accepted, faultEndedAt, finished, allowedStatuses: scenario.allowedStatuses ?? [] });
    if (github.invalidQueries.length > 0) failures.push(`${github.invalidQueries.length} GraphQL queries GitHub would refuse`);
    if (verdict.lost > 0) failures.push(`${verdict.lost} lost`);
    if (verdict.duplicates > 0) failures.push(`${verdict.duplicates} duplicates`);
    if (verdict.stuck > 0) failures.push(`${verdict.stuck} stuck`);
    if (verdict.unacked > 0) failures.push(`${verdict.unacked} message(s) not acknowledged`);
    if (verdict.deadLetters > 0 && !(scenario.allowedStatuses ?? []).includes('dead')) failures.push(`${verdict.deadLetters} messages dead-lettered`);
    if (verdict.processed < verdict.accepted) failures.push(`${verdict.accepted - verdict.processed} accepted deliveries not processed`);
    if (verdict.accepted < verdict.sent) failures.push(`${verdict.sent - verdict.accepted} deliveries never accepted (redelivered for 120 s)`);
    if (!finished) failures.push('the work did not finish before the deadline');
    if (scenario.recoveryTargetSeconds !== undefined && (verdict.recoverySeconds === undefined || verdict.recoverySeconds > scenario.recoveryTargetSeconds)) {
      failures.push(`recovery ${verdict.recoverySeconds?.toFixed(1) ?? 'never'} s (target ≤ ${scenario.recoveryTargetSeconds} s)`);
    }
    failures.push(...verdict.problems.map((problem) => `  ${problem}`));
    const missed = scenario.recoveryTargetSeconds !== undefined && !(verdict.recoverySeconds !== undefined && verdict.recoverySeconds <= scenario.recoveryTargetSeconds);
    const timeline = options.timeline || missed ? await faultTimeline({ db: db.client!, faultEndedAt, marks, limit: options.timeline ? 60 : 16 }) : undefined;
    return {
      scenario,
      verdict,
      send: report,
      faultSeconds: faultStartedAt === undefined ? undefined : (faultEndedAt - faultStartedAt) / 1000,
      passed: !failures.some((f) => !f.startsWith('  ')),
      failures,
      output: instances.map((i) => `== ${i.name} ==\n${i.output().slice(-6000)}`).join('\n'),
      ...(timeline ? { timeline } : {}),
    };
  } finally {
    for (const instance of instances) await instance.stop('SIGTERM').catch(() => undefined);
    await db.client?.end().catch(() => undefined);
    if (nc) {
      const jsm = await jetstreamManager(nc).catch(() => undefined);
      for await (const info of jsm?.streams.list() ?? []) {
        if ([`${namespace}_`, `OBJ_${namespace}_`, `KV_${namespace}_`].some((prefix) => info.config.name.startsWith(prefix))) {
          await jsm!.streams.delete(info.config.name).catch(() => undefined);
        }
      }
      await nc.close();
    }
    await dropDatabase(stack, database);
    await github.close();
    await codegen.close();
    rmSync(rulesDir, { recursive: true, force: true });
  }
}

interface FinishOptions {
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  jsm: JetStreamManager;
  streams: readonly string[];
  accepted: ReadonlySet<string>;
  settleMs: number;
}

/** Polls until every accepted delivery is settled, no task is in flight and the consumers are idle; false at the deadline. */
async function waitUntilFinished(options: FinishOptions): Promise<boolean> {
  const deadline = Date.now() + options.settleMs;
  const ids = [...options.accepted];
  while (Date.now() < deadline) {
    const settled = Number((await options.query(`select count(*) as n from webhook_deliveries where delivery_id = any($1) and outcome <> 'received'`, [ids])).rows[0].n);
    const open = Number((await options.query(`select count(*) as n from tasks where status in ('queued', 'running', 'retrying')`)).rows[0].n);
    if (settled === ids.length && open === 0 && (await idle(options.jsm, options.streams))) return true;
    await sleep(250);
  }
  return false;
}

async function idle(jsm: JetStreamManager, streams: readonly string[]): Promise<boolean> {
  try {
    for (const stream of streams) {
      for await (const consumer of jsm.consumers.list(stream)) if (consumer.num_pending + consumer.num_ack_pending > 0) return false;
    }
    return true;
  } catch {
    return false;
  }
}

async function dropDatabase(stack: FaultStack, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: stack.postgres.url('postgres') });
  try {
    await client.connect();
    await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
  } catch {
    // The server may be down after a failed scenario; its data directory goes with the stack.
  } finally {
    await client.end().catch(() => undefined);
  }
}
