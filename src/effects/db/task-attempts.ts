import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/app-error.js';
import type { TaskTransitionListener } from './create-tasks-once.js';
import type { AttemptOutcome } from './entities/task-attempt.js';
import type { Task, TaskStatus } from './entities/task.js';
import { isUuid } from './is-uuid.js';
import { PATCH_COLUMNS, taskFromRow, taskNotFound, type TaskPatch } from './task-row.js';
import { valuesList } from './values-list.js';

/**
 * Default lease of an attempt: the consumers' ack_wait (streams/consumers/*.json). Its owner renews it
 * while it works; once it has run out, a redelivery of the task's message may take the task over.
 */
export const DEFAULT_ATTEMPT_LEASE_MS = 10_000;

/** Options of {@link startAttempts}. */
export interface StartAttemptOptions {
  onTransition?: TaskTransitionListener;
  /** Who runs the attempts: this process's instance id, recorded on each attempt. */
  owner?: string;
  /** How long an attempt stays the task's without being renewed. Default {@link DEFAULT_ATTEMPT_LEASE_MS}. */
  leaseMs?: number;
  /**
   * Attempts this owner gave up (their outcome could not be recorded) and may take over at once,
   * without waiting for their lease: task id → attempt number.
   */
  reclaim?: ReadonlyMap<string, number>;
}

/** The running task and the number of the attempt just started. */
export interface StartedAttempt {
  task: Task;
  /** The attempt's number, to hand to {@link finishAttempts}. */
  number: number;
}

/** Per task: the attempt started, or why not (with the task's status when it exists). */
export type AttemptStart =
  | { started: true; attempt: StartedAttempt }
  | { started: false; error: AppError; status?: TaskStatus; /** A running task: time left on its owner's lease. */ leaseLeftMs?: number };

/**
 * Starts an attempt on each task, in two statements for the whole list: marks the startable ones
 * `running`, counts the attempt, and opens it with `owner` and a lease of `leaseMs`. Startable:
 * queued or retrying, or running with an attempt whose lease has run out (its owner is gone: that
 * attempt is closed `abandoned` with the reason) or that this owner gave up (`reclaim`). An attempt
 * written before leases existed counts as leased until the task's last write plus `leaseMs`.
 * Refuses ('conflict') a task running under a live lease (with the time it has left), or one that
 * has finished (only a retry re-queues it); 'not_found' for an unknown id. Results come in the
 * order of `taskIds`, which must be distinct.
 */
export async function startAttempts(
  em: EntityManager,
  taskIds: readonly string[],
  options: StartAttemptOptions = {},
): Promise<AttemptStart[]> {
  const known = taskIds.filter(isUuid);
  const leaseMs = options.leaseMs ?? DEFAULT_ATTEMPT_LEASE_MS;
  const owner = options.owner ?? null;
  const taken = new Map<string, StartedAttempt>();
  const refused = new Map<string, { status: TaskStatus; leaseLeftMs: number }>();
  if (known.length > 0) {
    const ids = valuesList(['uuid', 'int'], known.map((id) => [id, options.reclaim?.get(id) ?? null]));
    const lease = `make_interval(secs => ?::float8 / 1000)`;
    // Rows are locked in id order, so two batches that share tasks cannot deadlock.
    const rows = await em.execute(
      `with "current" as (
         select t."id", t."status", a."owner", v."reclaim", a."number" as "open_number",
           extract(epoch from (coalesce(a."lease_expires_at", t."updated_at" + ${lease}) - now())) * 1000 as "lease_left_ms"
         from "tasks" as t
         join (values ${ids.sql}) as v ("id", "reclaim") on v."id" = t."id"
         left join "task_attempts" as a on a."task_id" = t."id" and a."number" = t."attempt_count" and a."finished_at" is null
         order by t."id" for update of t
       ), "taken" as (
         update "tasks" as t set "status" = 'running', "attempt_count" = t."attempt_count" + 1, "updated_at" = now()
         from "current" as c
         where t."id" = c."id" and (c."status" in ('queued', 'retrying') or (c."status" = 'running'
           and (c."lease_left_ms" <= 0 or (c."reclaim" = c."open_number" and c."owner" is not distinct from ?))))
         returning t.*
       ), "abandoned" as (
         update "task_attempts" as a set "finished_at" = now(), "outcome" = 'abandoned',
           "error" = 'abandoned: ' || coalesce('instance ' || c."owner", 'its worker') ||
             case when c."lease_left_ms" <= 0
               then ' stopped renewing its lease; taken over ' || round(-c."lease_left_ms" / 1000) || ' s after it ran out'
               else ' could not record its outcome' end
         from "taken" as k join "current" as c on c."id" = k."id"
         where a."task_id" = k."id" and a."finished_at" is null and c."status" = 'running'
       ), "opened" as (
         insert into "task_attempts" ("task_id", "number", "owner", "lease_expires_at")
         select "id", "attempt_count", ?, now() + ${lease} from "taken"
       )
       select c."id" as "c_id", c."status" as "c_status", c."lease_left_ms" as "c_lease_left_ms", k.*
       from "current" as c left join "taken" as k on k."id" = c."id"`,
      [leaseMs, ...ids.params, owner, owner, leaseMs],
    );
    for (const row of rows) {
      const { c_id: id, c_status: previous, c_lease_left_ms: leaseLeftMs, ...taskRow } = row;
      if (taskRow.id === null || taskRow.id === undefined) {
        refused.set(id as string, { status: previous as TaskStatus, leaseLeftMs: Math.max(0, Number(leaseLeftMs)) });
        continue;
      }
      const task = taskFromRow(taskRow);
      if (previous !== 'running') options.onTransition?.(task.taskType, task.status);
      taken.set(task.id, { task, number: task.attemptCount });
    }
  }
  return taskIds.map((taskId): AttemptStart => {
    const attempt = taken.get(taskId);
    if (attempt) return { started: true, attempt };
    const current = refused.get(taskId);
    if (current === undefined) return { started: false, error: taskNotFound(taskId) };
    const { status, leaseLeftMs } = current;
    if (status === 'running') {
      return {
        started: false,
        status,
        leaseLeftMs,
        error: new AppError('conflict', `task ${taskId} is already running (its lease has ${Math.ceil(leaseLeftMs / 1000)} s left)`, {
          details: { taskId, leaseLeftMs },
        }),
      };
    }
    return {
      started: false,
      status,
      error: new AppError('conflict', `task ${taskId} is ${status}; only a retry re-queues it`, { details: { taskId, status } }),
    };
  });
}

/** How an attempt ended: the task's new status, the attempt's error, and task fields to set. */
export interface FinishAttemptInput extends TaskPatch {
  /** The status the task enters (`running` for a Codegen run still being followed). */
  status: TaskStatus;
  /** The attempt's error; also becomes the task's `last_error`. */
  error?: string | null;
}

/** One attempt to close. */
export interface AttemptFinish {
  taskId: string;
  number: number;
  outcome: AttemptOutcome;
  result: FinishAttemptInput;
}

const PATCH_FIELDS = Object.entries(PATCH_COLUMNS) as Array<[keyof TaskPatch, (typeof PATCH_COLUMNS)[keyof TaskPatch]]>;
// Per row: id, attempt number, outcome, status, error, then a "set?" flag and a value per patchable column.
const FINISH_TYPES = ['uuid', 'int', 'text', 'text', 'text', ...PATCH_FIELDS.flatMap(([, { type }]) => ['boolean', type])];
const FINISH_NAMES = ['id', 'number', 'outcome', 'status', 'error', ...PATCH_FIELDS.flatMap(([, { column }]) => [`${column}_set`, column])];
const FINISH_ASSIGNMENTS = PATCH_FIELDS.map(
  ([, { column }]) => `"${column}" = case when v."${column}_set" then v."${column}" else t."${column}" end`,
).join(', ');

/**
 * Closes each attempt with its outcome and moves its task to `result.status` with the patch
 * (`undefined` fields untouched, `null` clears), in one statement for the whole list. A succeeded
 * task's `last_error` is cleared unless the patch sets it. An attempt that is no longer its task's
 * current one is refused ('conflict'): a stale worker must not overwrite its successor. Results come
 * in the order of `finishes`, whose task ids must be distinct.
 */
export async function finishAttempts(
  em: EntityManager,
  finishes: readonly AttemptFinish[],
  options: { onTransition?: TaskTransitionListener } = {},
): Promise<Array<Task | AppError>> {
  const valid = finishes.filter((finish) => isUuid(finish.taskId));
  const finished = new Map<string, Task>();
  if (valid.length > 0) {
    const rows = valuesList(
      FINISH_TYPES,
      valid.map(({ taskId, number, outcome, result }) => {
        const { status, error, ...patch } = result;
        const lastError = patch.lastError !== undefined ? patch.lastError : (error ?? (status === 'succeeded' ? null : undefined));
        const values: Record<string, unknown> = { ...patch, lastError };
        return [
          taskId, number, outcome, status, error ?? null,
          ...PATCH_FIELDS.flatMap(([field, { json }]) => {
            const value = values[field];
            if (value === undefined) return [false, null];
            return [true, json && value !== null ? JSON.stringify(value) : value];
          }),
        ];
      }),
    );
    const updated = await em.execute(
      `with v (${FINISH_NAMES.map((name) => `"${name}"`).join(', ')}) as (values ${rows.sql}),
       "finished" as (
         update "tasks" as t set "status" = v."status", "updated_at" = now(), ${FINISH_ASSIGNMENTS}
         from v where t."id" = v."id" and t."status" = 'running' and t."attempt_count" = v."number"
         returning t.*
       ), "closed" as (
         update "task_attempts" as a set "finished_at" = now(), "outcome" = v."outcome", "error" = v."error"
         from v join "finished" as f on f."id" = v."id"
         where a."task_id" = v."id" and a."number" = v."number"
       )
       select * from "finished"`,
      rows.params,
    );
    for (const row of updated) {
      const task = taskFromRow(row);
      finished.set(task.id, task);
      if (task.status !== 'running') options.onTransition?.(task.taskType, task.status);
    }
  }
  const stale = finishes.filter((finish) => isUuid(finish.taskId) && !finished.has(finish.taskId));
  const current = new Map<string, { status: string; attemptCount: number }>();
  if (stale.length > 0) {
    const ids = valuesList(['uuid'], stale.map((finish) => [finish.taskId]));
    const rows = await em.execute(
      `select t."id", t."status", t."attempt_count" from "tasks" as t join (values ${ids.sql}) as v ("id") on t."id" = v."id"`,
      ids.params,
    );
    for (const row of rows) current.set(row.id as string, { status: row.status as string, attemptCount: Number(row.attempt_count) });
  }
  return finishes.map(({ taskId, number }) => {
    const task = finished.get(taskId);
    if (task) return task;
    const now = current.get(taskId);
    if (!now) return taskNotFound(taskId);
    return new AppError('conflict', `attempt ${number} of task ${taskId} is no longer current`, {
      details: { taskId, number, status: now.status, attemptCount: now.attemptCount },
    });
  });
}
