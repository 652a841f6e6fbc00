import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/app-error.js';
import { type AnalysisTaskType, type Task, type TaskStatus, type TaskType } from './entities/task.js';
import { taskFromRow } from './task-row.js';
import { valuesList } from './values-list.js';

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

/** The task and whether this call created it. */
export interface CreatedTask {
  task: Task;
  /** False when the task already existed (a redelivery, or a concurrent writer won). */
  created: boolean;
}

/** Told of every status a task enters, e.g. to count `orchestrator_tasks_total`. */
export type TaskTransitionListener = (taskType: TaskType, status: TaskStatus) => void;

const TASK_COLUMNS = ['uuid', 'text', 'text', 'text', 'text', 'text', 'int', 'text', 'jsonb', 'text'] as const;
const keyOf = (deliveryId: string, taskType: string) => `${deliveryId}\u0000${taskType}`;

/**
 * The analysis tasks of `inputs`, each created `queued` unless its (delivery, task type) exists, in
 * two statements for the whole list (insert what is new, read what was not). Safe under concurrent
 * writers: the partial unique index decides, and every caller gets the one row. Results come in the
 * order of `inputs`, whose (delivery, task type) pairs must be distinct.
 */
export async function createTasksOnce(
  em: EntityManager,
  inputs: readonly CreateTaskInput[],
  options: { onTransition?: TaskTransitionListener } = {},
): Promise<CreatedTask[]> {
  for (const input of inputs) {
    if ((input.taskType as TaskType) === 'codegen_trigger') {
      throw new TypeError('codegen_trigger tasks are keyed by head SHA: use findOrCreateCodegenTrigger');
    }
  }
  const found = new Map<string, CreatedTask>();
  let pending = [...inputs];
  // A conflicting row can vanish between our insert and our read (its writer rolled back); the
  // next round then inserts it. Three rounds without either is a bug, not a race.
  for (let round = 0; round < 3 && pending.length > 0; round += 1) {
    const rows = valuesList(
      TASK_COLUMNS,
      pending.map((input) => [
        randomUUID(), input.taskType, input.repository, input.deliveryId, input.eventType, input.action ?? null,
        input.pullRequestNumber ?? null, input.headSha ?? null, JSON.stringify(input.input ?? {}), input.reason ?? null,
      ]),
    );
    const inserted = await em.execute(
      `insert into "tasks" ("id", "task_type", "repository", "delivery_id", "event_type", "action",
         "pull_request_number", "head_sha", "input", "reason")
       values ${rows.sql}
       on conflict ("delivery_id", "task_type") where "task_type" <> 'codegen_trigger' do nothing
       returning *`,
      rows.params,
    );
    for (const row of inserted) {
      const task = taskFromRow(row);
      found.set(keyOf(task.deliveryId, task.taskType), { task, created: true });
      options.onTransition?.(task.taskType, task.status);
    }
    const missing = pending.filter((input) => !found.has(keyOf(input.deliveryId, input.taskType)));
    if (missing.length > 0) {
      const keys = valuesList(['text', 'text'], missing.map((input) => [input.deliveryId, input.taskType]));
      const existing = await em.execute(
        `select t.* from "tasks" as t join (values ${keys.sql}) as k ("delivery_id", "task_type")
           on t."delivery_id" = k."delivery_id" and t."task_type" = k."task_type"`,
        keys.params,
      );
      for (const row of existing) {
        const task = taskFromRow(row);
        found.set(keyOf(task.deliveryId, task.taskType), { task, created: false });
      }
    }
    pending = pending.filter((input) => !found.has(keyOf(input.deliveryId, input.taskType)));
  }
  if (pending.length > 0) {
    throw new AppError('conflict', `could neither create nor find ${pending.length} task(s)`, {
      details: { keys: pending.map((input) => ({ deliveryId: input.deliveryId, taskType: input.taskType })) },
    });
  }
  return inputs.map((input) => found.get(keyOf(input.deliveryId, input.taskType))!);
}

/** The analysis task of one (delivery, task type); see {@link createTasksOnce}. */
export async function createTaskOnce(
  em: EntityManager,
  input: CreateTaskInput,
  options: { onTransition?: TaskTransitionListener } = {},
): Promise<CreatedTask> {
  const [created] = await createTasksOnce(em, [input], options);
  return created!;
}
