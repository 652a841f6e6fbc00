import type { EntityManager } from '@mikro-orm/postgresql';
import { TaskAttemptSchema, type TaskAttempt } from './entities/task-attempt.js';
import { TaskSchema, type Task, type TaskStatus, type TaskType } from './entities/task.js';
import { findPage } from './find-page.js';
import { isUuid } from './is-uuid.js';
import type { Page, PageOf } from './page.js';

/** The management API's task filters; each one given narrows the list. */
export interface TaskFilters {
  status?: TaskStatus;
  taskType?: TaskType;
  /** `owner/name`. */
  repository?: string;
  deliveryId?: string;
}

/** A task with its attempts, oldest first. */
export interface TaskDetail {
  task: Task;
  attempts: TaskAttempt[];
}

/** Tasks matching `filters`, newest first (ties broken by id, so pages never overlap), and their total. */
export async function listTasks(em: EntityManager, filters: TaskFilters, page: Page): Promise<PageOf<Task>> {
  const { status, taskType, repository, deliveryId } = filters;
  return findPage(em, TaskSchema, { status, taskType, repository, deliveryId }, ['createdAt', 'id'], page);
}

/** The task alone (one query), or null when no task has this id (or it is not a UUID). */
export async function findTask(em: EntityManager, taskId: string): Promise<Task | null> {
  if (!isUuid(taskId)) return null;
  return em.findOne(TaskSchema, { id: taskId }, { refresh: true });
}

/** The task and its attempts, or null when no task has this id (or it is not a UUID). */
export async function getTask(em: EntityManager, taskId: string): Promise<TaskDetail | null> {
  if (!isUuid(taskId)) return null;
  const task = await em.findOne(TaskSchema, { id: taskId }, { refresh: true });
  if (!task) return null;
  const attempts = await em.find(TaskAttemptSchema, { task: taskId }, { orderBy: { number: 'asc' }, refresh: true });
  return { task, attempts };
}

/**
 * Fix runs counted against a pull request's cap: `codegen_trigger` tasks of purpose `fix` that
 * started a Codegen run or may still start one. Skipped and run-less failed triggers cost nothing.
 */
export async function countFixRuns(em: EntityManager, repository: string, pullRequestNumber: number): Promise<number> {
  return em.count(TaskSchema, {
    taskType: 'codegen_trigger',
    purpose: 'fix',
    repository,
    pullRequestNumber,
    $or: [{ codegenRunId: { $ne: null } }, { status: { $in: ['queued', 'running', 'retrying'] } }],
  });
}
