import type { Dictionary } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/app-error.js';
import { TaskSchema, type Task, type TaskStatus, type TaskType } from './entities/task.js';
import { isUuid } from './is-uuid.js';
import { rowReader } from './row-reader.js';

/** Task fields a transition may set: `undefined` leaves a field alone, `null` clears it. */
export interface TaskPatch {
  lastError?: string | null;
  reason?: string | null;
  findings?: Record<string, unknown> | null;
  input?: Record<string, unknown>;
  triggerTaskId?: string | null;
  codegenRunId?: number | null;
  codegenRunStatus?: string | null;
  codegenWebUrl?: string | null;
  codegenResult?: string | null;
}

/** Each patchable field's column and SQL type. */
export const PATCH_COLUMNS: { [K in keyof Required<TaskPatch>]: { column: string; type: string; json?: true } } = {
  lastError: { column: 'last_error', type: 'text' },
  reason: { column: 'reason', type: 'text' },
  findings: { column: 'findings', type: 'jsonb', json: true },
  input: { column: 'input', type: 'jsonb', json: true },
  triggerTaskId: { column: 'trigger_task_id', type: 'uuid' },
  codegenRunId: { column: 'codegen_run_id', type: 'bigint' },
  codegenRunStatus: { column: 'codegen_run_status', type: 'text' },
  codegenWebUrl: { column: 'codegen_web_url', type: 'text' },
  codegenResult: { column: 'codegen_result', type: 'text' },
};

/** The state of a task row, read under a row lock. */
export interface LockedTask {
  taskType: TaskType;
  status: TaskStatus;
  attemptCount: number;
  /** Milliseconds since the row was last written. */
  idleMs: number;
}

/**
 * Reads and locks (`for update`) the task row for the rest of `tx`'s transaction, so that status
 * decisions and the writes that follow cannot interleave with another worker's. 'not_found' when
 * there is no such task.
 */
export async function lockTask(tx: EntityManager, taskId: string): Promise<LockedTask> {
  if (!isUuid(taskId)) throw taskNotFound(taskId);
  const [row] = await tx.execute(
    `select "task_type", "status", "attempt_count", extract(epoch from (now() - "updated_at")) * 1000 as "idle_ms"
     from "tasks" where "id" = ? for update`,
    [taskId],
  );
  if (!row) throw taskNotFound(taskId);
  return {
    taskType: row.task_type as TaskType,
    status: row.status as TaskStatus,
    attemptCount: Number(row.attempt_count),
    idleMs: Number(row.idle_ms),
  };
}

/** The `set` list for a status and patch (`undefined` fields untouched), with its parameters. */
export function taskAssignments(status: TaskStatus, patch: TaskPatch): { sql: string; params: unknown[] } {
  const assignments = ['"status" = ?', '"updated_at" = now()'];
  const params: unknown[] = [status];
  for (const [key, { column, json }] of Object.entries(PATCH_COLUMNS)) {
    const value = patch[key as keyof TaskPatch];
    if (value === undefined) continue;
    assignments.push(json ? `"${column}" = ?::jsonb` : `"${column}" = ?`);
    params.push(json && value !== null ? JSON.stringify(value) : value);
  }
  return { sql: assignments.join(', '), params };
}

/** Writes status, patch and `updated_at = now()` to one task row and returns the row. */
export async function updateTask(
  tx: EntityManager,
  taskId: string,
  status: TaskStatus,
  patch: TaskPatch,
): Promise<Dictionary> {
  const { sql, params } = taskAssignments(status, patch);
  const [row] = await tx.execute(`update "tasks" set ${sql} where "id" = ? returning *`, [...params, taskId]);
  if (!row) throw taskNotFound(taskId);
  return row;
}

export function taskNotFound(taskId: string): AppError {
  return new AppError('not_found', `task ${taskId} not found`, { details: { taskId } });
}

/**
 * A `tasks` row as returned by `returning *` or `select *`, as a Task. Hot paths read rows in
 * batches of a hundred; `em.map` would hydrate each into the unit of work's identity map (most of
 * a batch's ORM time), which nothing here uses: every write is an explicit statement.
 */
export const taskFromRow: (row: Dictionary) => Task = rowReader(TaskSchema);
