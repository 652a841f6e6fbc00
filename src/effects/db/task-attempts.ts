import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/app-error.js';
import type { TaskTransitionListener } from './create-tasks-once.js';
import type { AttemptOutcome } from './entities/task-attempt.js';
import type { Task, TaskStatus } from './entities/task.js';
import { isUuid } from './is-uuid.js';
import { PATCH_COLUMNS, taskFromRow, taskNotFound, type TaskPatch } from './task-row.js';
import { valuesList } from './values-list.js';

/** How long a `running` task may go without any write before another worker may take it over. */
export const DEFAULT_STALE_ATTEMPT_MS = 10 * 60_000;

/** Options of {@link startAttempts}. */
export interface StartAttemptOptions {
  onTransition?: TaskTransitionListener;
  /** Default {@link DEFAULT_STALE_ATTEMPT_MS}. */
  staleAfterMs?: number;
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
  | { started: false; error: AppError; status?: TaskStatus };

/**
 * Starts an attempt on each task, in two statements for the whole list: marks the startable ones
 * (queued, retrying, or running but stale) `running`, counts the attempt, closes a stale attempt as
 * abandoned and opens the new one. Refuses ('conflict') a task that is running and not stale
 * (another worker has it) or that has finished (only a retry re-queues it); 'not_found' for an
 * unknown id. Results come in the order of `taskIds`, which must be distinct.
 */
export async function startAttempts(
  em: EntityManager,
  taskIds: readonly string[],
  options: StartAttemptOptions = {},
): Promise<AttemptStart[]> {
  const known = taskIds.filter(isUuid);
  const taken = new Map<string, StartedAttempt>();
  if (known.length > 0) {
    const ids = valuesList(['uuid'], known.map((id) => [id]));
    // Rows are locked in id order, so two batches that share tasks cannot deadlock.
    const rows = await em.execute(
      `with "current" as (
         select "id", "status", extract(epoch from (now() - "updated_at")) * 1000 as "idle_ms"
         from "tasks" where "id" in (select v."id" from (values ${ids.sql}) as v ("id")) order by "id" for update
       ), "taken" as (
         update "tasks" as t set "status" = 'running', "attempt_count" = t."attempt_count" + 1, "updated_at" = now()
         from "current" as c
         where t."id" = c."id" and (c."status" in ('queued', 'retrying') or (c."status" = 'running' and c."idle_ms" >= ?))
         returning t.*, c."status" as "previous_status", c."idle_ms" as "previous_idle_ms"
       ), "abandoned" as (
         update "task_attempts" as a set "finished_at" = now(), "outcome" = 'failed',
           "error" = 'abandoned: no progress for ' || round(k."previous_idle_ms" / 1000) || ' s'
         from "taken" as k where a."task_id" = k."id" and a."finished_at" is null and k."previous_status" = 'running'
       ), "opened" as (
         insert into "task_attempts" ("task_id", "number") select "id", "attempt_count" from "taken"
       )
       select * from "taken"`,
      [...ids.params, options.staleAfterMs ?? DEFAULT_STALE_ATTEMPT_MS],
    );
    for (const row of rows) {
      const previous = row.previous_status as TaskStatus;
      delete row.previous_status;
      delete row.previous_idle_ms;
      const task = taskFromRow(row);
      if (previous !== 'running') options.onTransition?.(task.taskType, task.status);
      taken.set(task.id, { task, number: task.attemptCount });
    }
  }
  const refused = known.filter((id) => !taken.has(id));
  const statuses = new Map<string, TaskStatus>();
  if (refused.length > 0) {
    const ids = valuesList(['uuid'], refused.map((id) => [id]));
    const rows = await em.execute(`select t."id", t."status" from "tasks" as t join (values ${ids.sql}) as v ("id") on t."id" = v."id"`, ids.params);
    for (const row of rows) statuses.set(row.id as string, row.status as TaskStatus);
  }
  return taskIds.map((taskId): AttemptStart => {
    const attempt = taken.get(taskId);
    if (attempt) return { started: true, attempt };
    const status = statuses.get(taskId);
    if (status === undefined) return { started: false, error: taskNotFound(taskId) };
    if (status === 'running') {
      return { started: false, status, error: new AppError('conflict', `task ${taskId} is already running`, { details: { taskId } }) };
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
