import { randomUUID } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';

/** How a missed-delivery recovery run ended; `running` until it does. */
export const RECOVERY_RUN_STATUSES = ['running', 'completed', 'paused', 'failed'] as const;
export type RecoveryRunStatus = (typeof RECOVERY_RUN_STATUSES)[number];

/** What started a run: the periodic job, or an operator (API, CLI) with a `since` bound. */
export const RECOVERY_TRIGGERS = ['schedule', 'manual'] as const;
export type RecoveryTrigger = (typeof RECOVERY_TRIGGERS)[number];

/** One pass over GitHub's hook deliveries looking for failed ones we never accepted. */
export interface RecoveryRun {
  id: string;
  trigger: RecoveryTrigger;
  status: RecoveryRunStatus;
  /** Oldest delivery considered (a manual `since`, else GitHub's 3-day horizon). */
  since: Date;
  startedAt: Date;
  finishedAt: Date | null;
  /** Hook delivery attempts listed. */
  scanned: number;
  /** Events whose latest attempt had failed at GitHub. */
  failed: number;
  /** Of those, events we had accepted after all (a delivery row or a GITHUB message). */
  alreadyAccepted: number;
  /** Redeliveries asked of GitHub in this run. */
  requested: number;
  /** When a paused run (GitHub's rate limit) may go on. */
  resumeAt: Date | null;
  error: string | null;
}

/** Table `recovery_runs`. */
export const RecoveryRunSchema = new EntitySchema<RecoveryRun>({
  name: 'RecoveryRun',
  tableName: 'recovery_runs',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()', onCreate: () => randomUUID() },
    trigger: { enum: true, items: [...RECOVERY_TRIGGERS] },
    status: { enum: true, items: [...RECOVERY_RUN_STATUSES], default: 'running' },
    since: { type: 'datetime' },
    startedAt: { type: 'datetime', defaultRaw: 'now()', onCreate: () => new Date() },
    finishedAt: { type: 'datetime', nullable: true },
    scanned: { type: 'integer', default: 0 },
    failed: { type: 'integer', default: 0 },
    alreadyAccepted: { type: 'integer', default: 0 },
    requested: { type: 'integer', default: 0 },
    resumeAt: { type: 'datetime', nullable: true },
    error: { type: 'text', nullable: true },
  },
  indexes: [{ name: 'recovery_runs_started_at_index', properties: ['startedAt'] }],
});
