import { randomUUID } from 'node:crypto';
import { EntitySchema, type Ref } from '@mikro-orm/core';
import { TaskSchema, type Task } from './task.js';

/**
 * How one try of a task ended. `abandoned`: its owner stopped renewing its lease (the process
 * died) and the task was taken over, or retried by an operator.
 */
export const ATTEMPT_OUTCOMES = ['succeeded', 'failed', 'retrying', 'skipped', 'dead', 'abandoned'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** One try of a task; `finishedAt` and `outcome` stay null while it runs. */
export interface TaskAttempt {
  id: string;
  task: Ref<Task>;
  /** 1-based, unique per task. */
  number: number;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: AttemptOutcome | null;
  error: string | null;
  /** The instance running it (a per-process id), null on attempts older than leases. */
  owner: string | null;
  /** Until when the owner is known to be alive; renewed while it works, taken over once passed. */
  leaseExpiresAt: Date | null;
}

/** Table `task_attempts`. */
export const TaskAttemptSchema = new EntitySchema<TaskAttempt>({
  name: 'TaskAttempt',
  tableName: 'task_attempts',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()', onCreate: () => randomUUID() },
    task: { kind: 'm:1', entity: () => TaskSchema, ref: true, deleteRule: 'cascade', updateRule: 'cascade' },
    number: { type: 'integer' },
    startedAt: { type: 'datetime', defaultRaw: 'now()' },
    finishedAt: { type: 'datetime', nullable: true },
    outcome: { enum: true, items: [...ATTEMPT_OUTCOMES], nullable: true },
    error: { type: 'text', nullable: true },
    owner: { type: 'text', nullable: true },
    leaseExpiresAt: { type: 'datetime', nullable: true },
  },
  uniques: [{ name: 'task_attempts_task_id_number_unique', properties: ['task', 'number'] }],
});
