import type { JetStreamManager } from '@nats-io/jetstream';
import type pg from 'pg';
import { ORCHESTRATOR_HEADERS } from '../../src/contracts/message-headers.js';
import type { CodegenDouble } from '../helpers/codegen-api-double.js';
import type { FaultDeliveries } from './fault-deliveries.js';

/** The end state of one scenario, as the table reports it. */
export interface FaultVerdict {
  sent: number;
  accepted: number;
  /** Accepted deliveries settled with every task they made final (succeeded, failed or skipped). */
  processed: number;
  /** Second tasks per (delivery, type), second triggers per (repository, head, purpose), second Codegen runs per trigger. */
  duplicates: number;
  /** Accepted deliveries with no delivery row or without their analysis task, and failing heads without a Codegen run. */
  lost: number;
  /** Tasks queued, running or retrying at the end, or dead when the scenario did not force it. */
  stuck: number;
  /** Messages still waiting or unacknowledged on the consumers. */
  unacked: number;
  /** Messages copied to the DLQ stream (given up on). */
  deadLetters: number;
  /** Failing heads with a Codegen run / failing heads. */
  codegenRuns: string;
  /** Fault's end → the last task or delivery change, in seconds (undefined when the work never finished). */
  recoverySeconds: number | undefined;
  /** What was wrong, one line each, for the report. */
  problems: string[];
}

export interface FaultVerdictInput {
  db: pg.Client;
  jsm: JetStreamManager;
  streams: readonly string[];
  /** The namespaced DLQ stream. */
  dlqStream: string;
  codegen: CodegenDouble;
  plan: FaultDeliveries;
  accepted: ReadonlySet<string>;
  /** When the fault ended (instance ready, dependency back), epoch ms. */
  faultEndedAt: number;
  /** Whether the run finished (every accepted delivery and task final, consumers idle) before the deadline. */
  finished: boolean;
  /** Task statuses the scenario forces (e.g. `dead` when it makes a dependency refuse for good). */
  allowedStatuses?: readonly string[];
}

const FINAL = ['succeeded', 'failed', 'skipped'];
const TASK_FOR_EVENT: Record<string, string> = { pull_request: 'pull_request_analysis', check_run: 'check_failure_analysis' };

/** Reads PostgreSQL, the consumers and the Codegen double once the scenario is over. */
export async function faultVerdict(input: FaultVerdictInput): Promise<FaultVerdict> {
  const { db } = input;
  const problems: string[] = [];
  const accepted = [...input.accepted];
  const rows = async <T>(sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows as T[];

  const deliveryRows = await rows<{ delivery_id: string; outcome: string }>('select delivery_id, outcome from webhook_deliveries where delivery_id = any($1)', [accepted]);
  const outcomes = new Map(deliveryRows.map((row) => [row.delivery_id, row.outcome]));
  const tasks = await rows<{ id: string; delivery_id: string; task_type: string; status: string; repository: string; head_sha: string | null; purpose: string | null; last_error: string | null }>(
    'select id, delivery_id, task_type, status, repository, head_sha, purpose, last_error from tasks',
  );
  const byDelivery = new Map<string, typeof tasks>();
  for (const task of tasks) byDelivery.set(task.delivery_id, [...(byDelivery.get(task.delivery_id) ?? []), task]);
  const allowed = new Set([...FINAL, ...(input.allowedStatuses ?? [])]);

  let lost = 0;
  let processed = 0;
  const eventOf = new Map(input.plan.deliveries.map((d) => [d.deliveryId, d.event]));
  for (const id of accepted) {
    const own = byDelivery.get(id) ?? [];
    const expected = TASK_FOR_EVENT[eventOf.get(id) ?? ''];
    if (!outcomes.has(id) || !own.some((task) => task.task_type === expected)) {
      lost += 1;
      if (problems.length < 12) problems.push(`lost: delivery ${id} (${eventOf.get(id)}) has ${outcomes.has(id) ? `outcome ${outcomes.get(id)} but no ${expected} task` : 'no delivery row'}`);
      continue;
    }
    const settled = outcomes.get(id) === 'processed' && own.every((task) => FINAL.includes(task.status));
    if (settled) processed += 1;
    else if (problems.length < 12) problems.push(`unsettled: delivery ${id} outcome ${outcomes.get(id)}, tasks ${own.map((t) => `${t.task_type}=${t.status}`).join(', ')}`);
  }

  const stuckTasks = tasks.filter((task) => !allowed.has(task.status));
  for (const task of stuckTasks.slice(0, 8)) problems.push(`stuck: ${task.task_type} ${task.id} ${task.status}${task.last_error ? ` (${task.last_error.slice(0, 160)})` : ''}`);

  const analysisKeys = new Set(tasks.filter((t) => t.task_type !== 'codegen_trigger').map((t) => `${t.delivery_id}/${t.task_type}`));
  const triggers = tasks.filter((t) => t.task_type === 'codegen_trigger');
  const triggerKeys = new Set(triggers.map((t) => `${t.repository}/${t.head_sha}/${t.purpose}`));
  const runs = [...input.codegen.runs.values()];
  const runTriggers = new Set(runs.map((run) => String(run.metadata?.task_id)));
  let duplicates = tasks.length - triggers.length - analysisKeys.size + (triggers.length - triggerKeys.size) + (runs.length - runTriggers.size);
  const headOf = new Map(triggers.map((t) => [t.id, t.head_sha]));
  const headsWithRun = new Set(runs.map((run) => headOf.get(String(run.metadata?.task_id))).filter((sha) => sha));
  for (const run of runs) {
    if (!headOf.has(String(run.metadata?.task_id))) problems.push(`codegen run ${run.id} names no trigger task (${JSON.stringify(run.metadata)})`);
  }
  const seen = new Map<string, number>();
  for (const run of runs) seen.set(String(run.metadata?.task_id), (seen.get(String(run.metadata?.task_id)) ?? 0) + 1);
  for (const [task, count] of seen) if (count > 1) problems.push(`duplicate: ${count} Codegen runs for trigger ${task}`);
  const missingRuns = input.plan.failingHeads.filter((sha) => !headsWithRun.has(sha));
  for (const sha of missingRuns.slice(0, 4)) {
    const trigger = triggers.find((t) => t.head_sha === sha);
    problems.push(`lost: no Codegen run for head ${sha.slice(0, 10)} (trigger ${trigger ? `${trigger.status}: ${trigger.last_error ?? ''}` : 'missing'})`);
  }
  lost += missingRuns.length;
  if (duplicates < 0) duplicates = 0;

  let unacked = 0;
  for (const stream of input.streams) {
    for await (const consumer of input.jsm.consumers.list(stream)) {
      const left = consumer.num_pending + consumer.num_ack_pending;
      if (left > 0) problems.push(`unacked: ${stream}/${consumer.name} pending ${consumer.num_pending}, ack pending ${consumer.num_ack_pending}`);
      unacked += left;
    }
  }

  const dlq = (await input.jsm.streams.info(input.dlqStream)).state;
  const deadLetters = dlq.messages;
  if (deadLetters > 0) {
    // The reasons of the first few, as the DLQ writer recorded them: what to fix.
    const reasons = new Map<string, number>();
    for (let seq = dlq.first_seq; seq < dlq.first_seq + Math.min(deadLetters, 50); seq++) {
      const message = await input.jsm.streams.getMessage(input.dlqStream, { seq }).catch(() => null);
      const reason = message?.header.get(ORCHESTRATOR_HEADERS.deadReason) ?? '(no reason)';
      reasons.set(reason.slice(0, 160), (reasons.get(reason.slice(0, 160)) ?? 0) + 1);
    }
    problems.push(`dead-lettered: ${deadLetters} messages in ${input.dlqStream}; reasons ${JSON.stringify(Object.fromEntries(reasons))}`);
  }

  const last = (
    await rows<{ at: Date | null }>(
      `select greatest((select max(updated_at) from tasks), (select max(processed_at) from webhook_deliveries)) as at`,
    )
  )[0]?.at;
  const recoverySeconds = input.finished && last ? Math.max(0, (last.getTime() - input.faultEndedAt) / 1000) : undefined;
  return {
    sent: input.plan.deliveries.length,
    accepted: accepted.length,
    processed,
    duplicates,
    lost,
    stuck: stuckTasks.length,
    unacked,
    deadLetters,
    codegenRuns: `${input.plan.failingHeads.length - missingRuns.length}/${input.plan.failingHeads.length}`,
    recoverySeconds,
    problems,
  };
}
