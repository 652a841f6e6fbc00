import { randomUUID } from 'node:crypto';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/app-error.js';
import type { AttemptOutcome } from './entities/task-attempt.js';
import {
  TaskSchema,
  type CodegenPurpose,
  type Task,
  type TaskStatus,
  type TaskType,
} from './entities/task.js';
import { lockTask, taskFromRow, updateTask, type TaskPatch } from './task-row.js';

export { findTask, getTask, listTasks, countFixRuns, type TaskFilters, type TaskDetail } from './task-queries.js';
export {
  createTaskOnce,
  createTasksOnce,
  type CreateTaskInput,
  type CreatedTask,
  type NewTaskInput,
  type TaskTransitionListener,
} from './create-tasks-once.js';
import type { CreatedTask, NewTaskInput, TaskTransitionListener } from './create-tasks-once.js';
export type { TaskPatch } from './task-row.js';
export {
  DEFAULT_ATTEMPT_LEASE_MS,
  finishAttempts,
  startAttempts,
  type AttemptFinish,
  type AttemptStart,
  type FinishAttemptInput,
  type StartAttemptOptions,
  type StartedAttempt,
} from './task-attempts.js';
import { closeOpenAttempts, currentLeaseLeftMs } from './attempt-leases.js';
import { DEFAULT_ATTEMPT_LEASE_MS, finishAttempts, startAttempts, type FinishAttemptInput, type StartAttemptOptions, type StartedAttempt } from './task-attempts.js';

/** Options of every task write. */
export interface TaskWriteOptions {
  onTransition?: TaskTransitionListener;
}

/** A Codegen trigger, keyed by (repository, head SHA, purpose). */
export interface CodegenTriggerInput extends NewTaskInput {
  headSha: string;
  purpose: CodegenPurpose;
}

const INSERT_TASK = `insert into "tasks" ("id", "task_type", "repository", "delivery_id", "event_type", "action",
  "pull_request_number", "head_sha", "purpose", "input", "reason") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)`;

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
      const task = taskFromRow(row);
      options.onTransition?.(task.taskType, task.status);
      return { task, created: true };
    }
    const existing = await em.findOne(TaskSchema, key, { refresh: true });
    if (existing) return { task: existing, created: false };
  }
  throw new AppError('conflict', `could neither create nor find the ${taskType} task`, { details: { key } });
}

/**
 * Marks the task `running`, counts the attempt and records its row; see {@link startAttempts}.
 * Throws the refusal ('conflict' or 'not_found').
 */
export async function startAttempt(em: EntityManager, taskId: string, options: StartAttemptOptions = {}): Promise<StartedAttempt> {
  const [start] = await startAttempts(em, [taskId], options);
  if (!start!.started) throw start!.error;
  return start!.attempt;
}

/**
 * Closes attempt `number` with `outcome` and moves the task to `result.status`; see
 * {@link finishAttempts}. Throws the refusal ('conflict' or 'not_found').
 */
export async function finishAttempt(
  em: EntityManager,
  taskId: string,
  number: number,
  outcome: AttemptOutcome,
  result: FinishAttemptInput,
  options: TaskWriteOptions = {},
): Promise<Task> {
  const [finished] = await finishAttempts(em, [{ taskId, number, outcome, result }], options);
  if (finished instanceof AppError) throw finished;
  return finished!;
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
  const task = taskFromRow(row);
  if (previous !== task.status) options.onTransition?.(task.taskType, task.status);
  return task;
}

const RETRYABLE: readonly TaskStatus[] = ['failed', 'dead', 'skipped'];

/** Options of {@link retryTask}. */
export interface RetryTaskOptions extends TaskWriteOptions {
  /** The attempt lease length, for attempts written before leases existed. Default {@link DEFAULT_ATTEMPT_LEASE_MS}. */
  leaseMs?: number;
}

/**
 * An operator's retry: a failed, dead or skipped task goes back to `queued` with `last_error`
 * cleared (a `codegen_trigger` also forgets its run, so a new one starts). So does a `running` task
 * whose attempt's lease has run out — its owner is gone, the attempt is closed `abandoned`. Any
 * attempt left open is closed. 'conflict' when the task runs under a live lease or is in any other
 * status, 'not_found' for an unknown id. Re-publishing is the caller's.
 */
export async function retryTask(em: EntityManager, taskId: string, options: RetryTaskOptions = {}): Promise<Task> {
  const row = await em.transactional(async (tx) => {
    const current = await lockTask(tx, taskId);
    const leaseLeftMs = current.status === 'running' ? await currentLeaseLeftMs(tx, taskId, options.leaseMs ?? DEFAULT_ATTEMPT_LEASE_MS) : 0;
    if (current.status === 'running' && leaseLeftMs > 0) {
      throw new AppError('conflict', `task ${taskId} cannot be retried: it is running (its worker's lease has ${Math.ceil(leaseLeftMs / 1000)} s left)`, {
        details: { taskId, status: current.status, leaseLeftMs },
      });
    }
    if (current.status !== 'running' && !RETRYABLE.includes(current.status)) {
      throw new AppError('conflict', `task ${taskId} cannot be retried: it is ${current.status}`, {
        details: { taskId, status: current.status },
      });
    }
    await closeOpenAttempts(tx, taskId, 'abandoned', current.status === 'running'
      ? 'abandoned: its worker stopped renewing its lease; retried by an operator'
      : `abandoned: left open; the task was ${current.status} when an operator retried it`);
    const forgetRun: TaskPatch =
      current.taskType === 'codegen_trigger'
        ? { codegenRunId: null, codegenRunStatus: null, codegenWebUrl: null, codegenResult: null }
        : {};
    return updateTask(tx, taskId, 'queued', { lastError: null, ...forgetRun });
  });
  const task = taskFromRow(row);
  options.onTransition?.(task.taskType, task.status);
  return task;
}

/**
 * A task whose message went to the dead-letter queue: `dead` with the reason, its open attempt
 * closed `dead` (every attempt ends with an outcome). Only from `fromStatuses`.
 */
export async function markTaskDead(
  em: EntityManager,
  taskId: string,
  reason: string,
  options: TaskWriteOptions & { from?: readonly TaskStatus[] } = {},
): Promise<Task> {
  const task = await transitionTask(em, taskId, 'dead', { lastError: reason }, options);
  await closeOpenAttempts(em, taskId, 'dead', reason);
  return task;
}
