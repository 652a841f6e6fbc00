import { BigIntType, EntitySchema } from '@mikro-orm/core';

/** What GitHub answered when asked to redeliver. */
export const RECOVERY_REQUEST_OUTCOMES = ['requested', 'failed'] as const;
export type RecoveryRequestOutcome = (typeof RECOVERY_REQUEST_OUTCOMES)[number];

/**
 * One redelivery asked of GitHub, keyed by the event's GUID: the primary key is what makes
 * "at most once per GUID" hold across runs and instances.
 */
export interface RecoveryRequest {
  guid: string;
  /** The hook delivery (attempt) id that was redelivered. */
  hookDeliveryId: number;
  /** `app`, `repo:owner/name:id` or `org:name:id`. */
  hook: string;
  event: string;
  action: string | null;
  runId: string;
  outcome: RecoveryRequestOutcome;
  /** GitHub's status code of the failed attempt (0: no connection). */
  failedStatusCode: number;
  requestedAt: Date;
  error: string | null;
}

/** Table `recovery_requests`. */
export const RecoveryRequestSchema = new EntitySchema<RecoveryRequest>({
  name: 'RecoveryRequest',
  tableName: 'recovery_requests',
  properties: {
    guid: { type: 'text', primary: true },
    hookDeliveryId: { type: new BigIntType('number') },
    hook: { type: 'text' },
    event: { type: 'text' },
    action: { type: 'text', nullable: true },
    runId: { type: 'uuid' },
    outcome: { enum: true, items: [...RECOVERY_REQUEST_OUTCOMES] },
    failedStatusCode: { type: 'integer' },
    requestedAt: { type: 'datetime', defaultRaw: 'now()', onCreate: () => new Date() },
    error: { type: 'text', nullable: true },
  },
  indexes: [{ name: 'recovery_requests_run_id_index', properties: ['runId'] }],
});
