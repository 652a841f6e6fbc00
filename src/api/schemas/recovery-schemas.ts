import { z } from 'zod';
import { RECOVERY_REQUEST_OUTCOMES } from '../../effects/db/entities/recovery-request.js';
import { RECOVERY_RUN_STATUSES, RECOVERY_TRIGGERS } from '../../effects/db/entities/recovery-run.js';
import { apiSchemas } from './api-schema-registry.js';
import { pageAnswerFields, pageQueryFields, timestamp } from './common-schemas.js';

/** GET /api/v1/recoveries query. */
export const recoveryListQuery = z.strictObject({ ...pageQueryFields });

/** POST /api/v1/recoveries query: `since`, the oldest delivery to look at. */
export const recoveryStartQuery = z.strictObject({
  since: z.iso
    .datetime({ offset: true, error: 'must be an ISO-8601 date-time such as 2026-11-28T09:00:00Z' })
    .optional()
    .register(apiSchemas, {
      description:
        'Look at deliveries made since then, ignoring the checkpoint (default: from the checkpoint, at most 3 days back; older values are clamped to GitHub\'s 3-day horizon).',
      examples: ['2026-11-28T09:00:00Z'],
    }),
});

export const recoveryRequestViewSchema = z
  .object({
    guid: z.string(),
    hook_delivery_id: z.number().int(),
    hook: z.string(),
    event: z.string(),
    action: z.string().nullable(),
    failed_status_code: z.number().int(),
    outcome: z.enum(RECOVERY_REQUEST_OUTCOMES),
    requested_at: timestamp,
    error: z.string().nullable(),
  })
  .register(apiSchemas, {
    id: 'RecoveryRequest',
    description: 'A redelivery asked of GitHub for an event whose latest attempt failed and that the service never accepted (at most one per GUID).',
  });

export const recoveryRunViewSchema = z
  .object({
    id: z.uuid(),
    trigger: z.enum(RECOVERY_TRIGGERS),
    status: z.enum(RECOVERY_RUN_STATUSES),
    since: timestamp,
    started_at: timestamp,
    finished_at: timestamp.nullable(),
    scanned: z.number().int().min(0),
    failed: z.number().int().min(0),
    already_accepted: z.number().int().min(0),
    requested: z.number().int().min(0),
    resume_at: timestamp.nullable(),
    error: z.string().nullable(),
    requests: z.array(recoveryRequestViewSchema),
  })
  .register(apiSchemas, {
    id: 'RecoveryRun',
    description:
      'One missed-delivery recovery run: attempts listed (`scanned`), events whose latest attempt failed, those accepted after all, redeliveries requested. `paused` runs hit GitHub\'s rate limit and resume at `resume_at`.',
  });

export const recoveryListSchema = z
  .object({ recoveries: z.array(recoveryRunViewSchema), ...pageAnswerFields })
  .register(apiSchemas, { id: 'RecoveryRunList', description: 'One page of recovery runs, newest first.' });

/** 202 of POST /api/v1/recoveries. */
export const recoveryStartedSchema = z
  .object({ status: z.literal('started'), run: recoveryRunViewSchema })
  .register(apiSchemas, { id: 'RecoveryStarted', description: 'The run was started; follow it with GET /api/v1/recoveries.' });

export type RecoveryRunView = z.output<typeof recoveryRunViewSchema>;
