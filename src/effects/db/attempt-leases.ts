import type { EntityManager } from '@mikro-orm/postgresql';
import { valuesList } from './values-list.js';

/** One attempt of a task: its task id and number. */
export interface AttemptKey {
  taskId: string;
  number: number;
}

const key = (attempt: AttemptKey) => `${attempt.taskId}:${attempt.number}`;

/**
 * Extends the lease of every attempt in `attempts` that is still open to `leaseMs` from now and
 * records `owner` as its runner (a redelivered message that resumes an attempt — following a
 * Codegen run — adopts it), in one statement. Returns the attempts that are no longer open (taken
 * over, or closed by an operator's retry): their owner should stop counting them as its own.
 */
export async function renewAttemptLeases(
  em: EntityManager,
  attempts: readonly AttemptKey[],
  options: { owner: string; leaseMs: number },
): Promise<AttemptKey[]> {
  if (attempts.length === 0) return [];
  const rows = valuesList(['uuid', 'int'], attempts.map((a) => [a.taskId, a.number]));
  const renewed = await em.execute(
    `update "task_attempts" as a set "owner" = ?, "lease_expires_at" = now() + make_interval(secs => ?::float8 / 1000)
     from (values ${rows.sql}) as v ("task_id", "number")
     where a."task_id" = v."task_id" and a."number" = v."number" and a."finished_at" is null
     returning a."task_id", a."number"`,
    [options.owner, options.leaseMs, ...rows.params],
  );
  const open = new Set(renewed.map((row) => key({ taskId: row.task_id as string, number: Number(row.number) })));
  return attempts.filter((attempt) => !open.has(key(attempt)));
}

/**
 * Ends the leases of open attempts at once (their owner gave them up without recording an
 * outcome), so the next delivery of their message takes the task over without waiting. One statement.
 */
export async function expireAttemptLeases(em: EntityManager, attempts: readonly AttemptKey[]): Promise<void> {
  if (attempts.length === 0) return;
  const rows = valuesList(['uuid', 'int'], attempts.map((a) => [a.taskId, a.number]));
  await em.execute(
    `update "task_attempts" as a set "lease_expires_at" = now()
     from (values ${rows.sql}) as v ("task_id", "number")
     where a."task_id" = v."task_id" and a."number" = v."number" and a."finished_at" is null`,
    rows.params,
  );
}

/**
 * Milliseconds left on the lease of the task's open current attempt: 0 when it has run out or there
 * is none. An attempt from before leases counts as leased until the task's last write plus `leaseMs`.
 */
export async function currentLeaseLeftMs(em: EntityManager, taskId: string, leaseMs: number): Promise<number> {
  const [row] = await em.execute(
    `select extract(epoch from (coalesce(a."lease_expires_at", t."updated_at" + make_interval(secs => ?::float8 / 1000)) - now())) * 1000 as "left_ms"
     from "tasks" as t
     join "task_attempts" as a on a."task_id" = t."id" and a."number" = t."attempt_count" and a."finished_at" is null
     where t."id" = ?`,
    [leaseMs, taskId],
  );
  return row ? Math.max(0, Number(row.left_ms)) : 0;
}

/** Closes every open attempt of the task with `outcome` and `error` (an operator's retry, a dead letter). */
export async function closeOpenAttempts(em: EntityManager, taskId: string, outcome: 'abandoned' | 'dead', error: string): Promise<void> {
  await em.execute(
    `update "task_attempts" set "finished_at" = now(), "outcome" = ?, "error" = ? where "task_id" = ? and "finished_at" is null`,
    [outcome, error, taskId],
  );
}
