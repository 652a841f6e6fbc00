import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { expect } from 'chai';
import type { TaskStatus, TaskType } from '../../src/effects/db/entities/task.js';
import type { CreateTaskInput } from '../../src/effects/db/task-store.js';
import { isAppError } from '../../src/errors/app-error.js';
import type { ErrorCode } from '../../src/errors/error-codes.js';

/** Awaits `promise`, which must reject with an AppError of `code`; returns that error. */
export async function expectAppError(promise: Promise<unknown>, code: ErrorCode): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(isAppError(error), String(error)).to.equal(true);
    expect((error as { code: string }).code).to.equal(code);
    return error as Error;
  }
  throw new Error(`expected an AppError '${code}', but the call succeeded`);
}

/** A check failure analysis of pull request #7 of acme/widgets, from a delivery of its own. */
export const analysisTask = (overrides: Partial<CreateTaskInput> = {}): CreateTaskInput => ({
  taskType: 'check_failure_analysis',
  repository: 'acme/widgets',
  deliveryId: randomUUID(),
  eventType: 'check_run',
  action: 'completed',
  pullRequestNumber: 7,
  headSha: 'a'.repeat(40),
  input: { checkRunNodeId: 'CR_1', installationId: 99 },
  ...overrides,
});

/** An onTransition listener that keeps what it is told. */
export function recordTransitions(): { seen: Array<[TaskType, TaskStatus]>; onTransition: (type: TaskType, status: TaskStatus) => void } {
  const seen: Array<[TaskType, TaskStatus]> = [];
  return { seen, onTransition: (type, status) => void seen.push([type, status]) };
}

/** The owner of the task's open attempt stopped renewing it a few seconds ago. */
export async function expireLease(em: EntityManager, taskId: string): Promise<void> {
  await em.execute(`update "task_attempts" set "lease_expires_at" = now() - interval '3 seconds' where "task_id" = ? and "finished_at" is null`, [taskId]);
}
