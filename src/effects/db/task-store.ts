import { randomUUID } from 'node:crypto';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/app-error.js';
import type { AttemptOutcome } from './entities/task-attempt.js';
import {
  TaskSchema,
  type AnalysisTaskType,
  type CodegenPurpose,
  type Task,
  type TaskStatus,
  type TaskType,
} from './entities/task.js';
import { lockTask, taskAssignments, taskNotFound, updateTask, type TaskPatch } from './task-row.js';
import { isUuid } from './is-uuid.js';

export { findTask, getTask, listTasks, countFixRuns, type TaskFilters, type TaskDetail } from './task-queries.js';
export type { TaskPatch } from './task-row.js';

/** Told of every status a task enters, e.g. to count `orchestrator_tasks_total`. */
export type TaskTransitionListener = (taskType: TaskType, status: TaskStatus) => void;

/** Options of every task write. */
export interface TaskWriteOptions {
  onTransition?: TaskTransitionListener;
}

/** Fields shared by every new task. */
export interface NewTaskInput {
  repository: string;
  /** The delivery that creates the task. */
  deliveryId: string;
  eventType: string;
  action?: string | null;
  pullRequestNumber?: number | null;
  headSha?: string | null;
  input?: Record<string, unknown>;
  reason?: string | null;
}

/** An analysis task to create once per (delivery, task type). */
export interface CreateTaskInput extends NewTaskInput {
  taskType: AnalysisTaskType;
}

/** A Codegen trigger, keyed by (repository, head SHA, purpose). */
export interface CodegenTriggerInput extends NewTaskInput {
  headSha: string;
  purpose: CodegenPurpose;
}

/** The task and whether this call created it. */
export interface CreatedTask {
  task: Task;
  /** False when the task already existed (a redelivery, or a concurrent writer won). */
  created: boolean;
}

const INSERT_TASK = `insert into "tasks" ("id", "task_type", "repository", "delivery_id", "event_type", "action",
  "pull_request_number", "head_sha", "purpose", "input", "reason") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)`;

/**
 * The analysis task of `input.taskType` for `input.deliveryId`, created `queued` unless it exists.
 * Safe under concurrent writers: the partial unique index decides, every caller gets the one row.
 */
export async function createTaskOnce(
  em: EntityManager,
  input: CreateTaskInput,
  options: TaskWriteOptions = {},
): Promise<CreatedTask> {
  if ((input.taskType as TaskType) === 'codegen_trigger') {
    throw new TypeError('codegen_trigger tasks are keyed by head SHA: use findOrCreateCodegenTrigger');
  }
  const conflict = `on conflict ("delivery_id", "task_type") where "task_type" <> 'codegen_trigger' do nothing`;
  const key = { deliveryId: input.deliveryId, taskType: input.taskType };
  return insertOnce(em, input.taskType, null, input, conflict, key, options);
}

/**
 * The one `codegen_trigger` task of (repository, head SHA, purpose), created `queued` unless it
 * exists; analyses of the same commit share it, so a burst of failures makes one Codegen run.
 */
export async function findOrCreateCodegenTrigger(
  em: EntityManager,
  input: CodegenTriggerInput,
  options: TaskWriteOptions = {},
): Promise<CreatedTask> {
  const conflict = `on conflict ("repository", "head_sha", "purpose") where "task_type" = 'codegen_trigger' do nothing`;
  const { repository, headSha, purpose } = input;
  const key = { taskType: 'codegen_trigger', repository, headSha, purpose } as const;
  return insertOnce(em, 'codegen_trigger', input.purpose, input, conflict, key, options);
}

async function insertOnce(
  em: EntityManager,
  taskType: TaskType,
  purpose: CodegenPurpose | null,
  input: NewTaskInput,
  conflictClause: string,
  key: FilterQuery<Task>,
  options: TaskWriteOptions,
): Promise<CreatedTask> {
  const params = [
    randomUUID(), taskType, input.repository, input.deliveryId, input.eventType, input.action ?? null,
    input.pullRequestNumber ?? null, input.headSha ?? null, purpose, JSON.stringify(input.input ?? {}),
    input.reason ?? null,
  ];
  // The conflicting row can vanish between our insert and our read (its writer rolled back); the
  // next round then inserts. Three rounds without either is a bug, not a race.
  for (let round = 0; round < 3; round += 1) {
    const [row] = await em.execute(`${INSERT_TASK} ${conflictClause} returning *`, params);
    if (row) {
      const task = em.map(TaskSchema, row);
      options.onTransition?.(task.taskType, task.status);
      return { task, created: true };
    }
    const existing = await em.findOne(TaskSchema, key, { refresh: true });
    if (existing) return { task: existing, created: false };
  }
  throw new AppError('conflict', `could neither create nor find the ${taskType} task`, { details: { key } });
}

/** How long a `running` task may go without any write before another worker may take it over. */
export const DEFAULT_STALE_ATTEMPT_MS = 10 * 60_000;

/** Options of {@link startAttempt}. */
export interface StartAttemptOptions extends TaskWriteOptions {
  /** Default {@link DEFAULT_STALE_ATTEMPT_MS}. */
  staleAfterMs?: number;
}

/** The running task and the number of the attempt just started. */
export interface StartedAttempt {
  task: Task;
  /** The attempt's number, to hand to {@link finishAttempt}. */
  number: number;
}

/**
 * Marks the task `running`, counts the attempt and records its row. Refuses ('conflict') a task
 * that is running and not stale (another worker has it) or that has finished (only a retry
 * re-queues it); 'not_found' for an unknown id. A stale attempt is closed as abandoned.
 */
export async function startAttempt(
  em: EntityManager,
  taskId: string,
  options: StartAttemptOptions = {},
): Promise<StartedAttempt> {
  if (!isUuid(taskId)) throw taskNotFound(taskId);
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_ATTEMPT_MS;
  // One statement, so one round trip: lock the row, take the task if it is startable (queued,
  // retrying, or running but stale), close a stale attempt as abandoned, open the new one.
  const [row] = await em.execute(
    `with "current" as (
       select "id", "status", extract(epoch from (now() - "updated_at")) * 1000 as "idle_ms"
       from "tasks" where "id" = ? for update
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
    [taskId, staleAfterMs],
  );
  if (!row) throw await startRefusal(em, taskId);
  const previous = row.previous_status as TaskStatus;
  delete row.previous_status;
  delete row.previous_idle_ms;
  const task = em.map(TaskSchema, row);
  if (previous !== 'running') options.onTransition?.(task.taskType, task.status);
  return { task, number: task.attemptCount };
}

/** Why a task could not be started: unknown, held by another worker, or finished. */
async function startRefusal(em: EntityManager, taskId: string): Promise<AppError> {
  const [row] = await em.execute(`select "status" from "tasks" where "id" = ?`, [taskId]);
  if (!row) return taskNotFound(taskId);
  if (row.status === 'running') return new AppError('conflict', `task ${taskId} is already running`, { details: { taskId } });
  return new AppError('conflict', `task ${taskId} is ${row.status}; only a retry re-queues it`, {
    details: { taskId, status: row.status },
  });
}

/** How an attempt ended: the task's new status, the attempt's error, and task fields to set. */
export interface FinishAttemptInput extends TaskPatch {
  /** The status the task enters (`running` for a Codegen run still being followed). */
  status: TaskStatus;
  /** The attempt's error; also becomes the task's `last_error`. */
  error?: string | null;
}

/**
 * Closes attempt `number` with `outcome` and moves the task to `result.status` with the patch.
 * A succeeded task's `last_error` is cleared unless the patch sets it. Refuses ('conflict') when the
 * attempt is no longer the task's current one: a stale worker must not overwrite its successor.
 */
export async function finishAttempt(
  em: EntityManager,
  taskId: string,
  number: number,
  outcome: AttemptOutcome,
  result: FinishAttemptInput,
  options: TaskWriteOptions = {},
): Promise<Task> {
  if (!isUuid(taskId)) throw taskNotFound(taskId);
  const { status, error, ...patch } = result;
  const lastError =
    patch.lastError !== undefined ? patch.lastError : (error ?? (status === 'succeeded' ? null : undefined));
  const { sql, params } = taskAssignments(status, { ...patch, lastError });
  // One statement: only the current attempt of a running task may finish it (a stale worker must
  // not overwrite its successor), and the attempt row closes with it.
  const [row] = await em.execute(
    `with "finished" as (
       update "tasks" set ${sql} where "id" = ? and "status" = 'running' and "attempt_count" = ? returning *
     ), "closed" as (
       update "task_attempts" set "finished_at" = now(), "outcome" = ?, "error" = ?
       where "task_id" = ? and "number" = ? and exists (select 1 from "finished")
     )
     select * from "finished"`,
    [...params, taskId, number, outcome, error ?? null, taskId, number],
  );
  if (!row) {
    const [current] = await em.execute(`select "status", "attempt_count" from "tasks" where "id" = ?`, [taskId]);
    if (!current) throw taskNotFound(taskId);
    throw new AppError('conflict', `attempt ${number} of task ${taskId} is no longer current`, {
      details: { taskId, number, status: current.status, attemptCount: Number(current.attempt_count) },
    });
  }
  const task = em.map(TaskSchema, row);
  if (task.status !== 'running') options.onTransition?.(task.taskType, task.status);
  return task;
}

/** Options of {@link transitionTask}. */
export interface TransitionOptions extends TaskWriteOptions {
  /** Only move the task from one of these statuses; otherwise 'conflict'. Default: any. */
  from?: readonly TaskStatus[];
}

/**
 * Sets the task's status and patch (`undefined` fields untouched, `null` clears) and bumps
 * `updated_at`, which also serves as a running task's heartbeat. 'not_found' for an unknown id.
 */
export async function transitionTask(
  em: EntityManager,
  taskId: string,
  status: TaskStatus,
  patch: TaskPatch = {},
  options: TransitionOptions = {},
): Promise<Task> {
  const { row, previous } = await em.transactional(async (tx) => {
    const current = await lockTask(tx, taskId);
    if (options.from && !options.from.includes(current.status)) {
      throw new AppError('conflict', `task ${taskId} is ${current.status}, not ${options.from.join(' or ')}`, {
        details: { taskId, status: current.status },
      });
    }
    return { row: await updateTask(tx, taskId, status, patch), previous: current.status };
  });
  const task = em.map(TaskSchema, row);
  if (previous !== task.status) options.onTransition?.(task.taskType, task.status);
  return task;
}

const RETRYABLE: readonly TaskStatus[] = ['failed', 'dead', 'skipped'];

/**
 * An operator's retry: a failed, dead or skipped task goes back to `queued` with `last_error`
 * cleared (a `codegen_trigger` also forgets its run, so a new one starts). 'conflict' when the task
 * is running or in any other status, 'not_found' for an unknown id. Re-publishing is the caller's.
 */
export async function retryTask(em: EntityManager, taskId: string, options: TaskWriteOptions = {}): Promise<Task> {
  const row = await em.transactional(async (tx) => {
    const current = await lockTask(tx, taskId);
    if (!RETRYABLE.includes(current.status)) {
      const why = current.status === 'running' ? 'it is running' : `it is ${current.status}`;
      throw new AppError('conflict', `task ${taskId} cannot be retried: ${why}`, {
        details: { taskId, status: current.status },
      });
    }
    const forgetRun: TaskPatch =
      current.taskType === 'codegen_trigger'
        ? { codegenRunId: null, codegenRunStatus: null, codegenWebUrl: null, codegenResult: null }
        : {};
    return updateTask(tx, taskId, 'queued', { lastError: null, ...forgetRun });
  });
  const task = em.map(TaskSchema, row);
  options.onTransition?.(task.taskType, task.status);
  return task;
}
