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
  DEFAULT_STALE_ATTEMPT_MS,
  finishAttempts,
  startAttempts,
  type AttemptFinish,
  type AttemptStart,
  type FinishAttemptInput,
  type StartAttemptOptions,
  type StartedAttempt,
} from './task-attempts.js';
import { finishAttempts, startAttempts, type FinishAttemptInput, type StartAttemptOptions, type StartedAttempt } from './task-attempts.js';

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
  const task = taskFromRow(row);
  options.onTransition?.(task.taskType, task.status);
  return task;
}
