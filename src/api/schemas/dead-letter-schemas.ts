import { z } from 'zod';
import type { DeadLetterView, RedriveReceipt } from '../../contracts/management-views.js';
import { apiSchemas } from './api-schema-registry.js';
import { pageAnswerFields, pageQueryFields, timestamp } from './common-schemas.js';
import { assertSameType } from './same-type.js';

/** A dead letter's id: its sequence in the DLQ stream. */
export const deadLetterIdParam = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'must be a DLQ stream sequence (a positive whole number)')
  .register(apiSchemas, { description: 'The dead letter\'s sequence in the DLQ stream.', examples: ['42'] });

/** GET /api/v1/dead-letters query. */
export const deadLetterListQuery = z.strictObject({ ...pageQueryFields });

/** Path of /api/v1/dead-letters/:id/redrive. */
export const deadLetterPathParams = z.strictObject({ id: deadLetterIdParam });

export const deadLetterViewSchema = z
  .object({
    id: z.string(),
    stream: z.string(),
    consumer: z.string(),
    subject: z.string(),
    delivery_id: z.string().nullable(),
    task_id: z.string().nullable(),
    reason: z.string(),
    failed_at: timestamp,
  })
  .register(apiSchemas, {
    id: 'DeadLetter',
    description: 'A message an actor gave up on, kept in the DLQ stream with where it came from and why.',
  });

export const deadLetterListSchema = z
  .object({ dead_letters: z.array(deadLetterViewSchema), ...pageAnswerFields })
  .register(apiSchemas, { id: 'DeadLetterList', description: 'One page of dead letters, newest first.' });

/** 202 of POST /api/v1/dead-letters/:id/redrive. */
export const redriveAcceptedSchema = z
  .object({
    status: z.literal('queued'),
    id: z.string(),
    stream: z.string(),
    subject: z.string(),
    seq: z.number().int().min(1),
  })
  .register(apiSchemas, {
    id: 'RedriveAccepted',
    description: 'The dead letter was published again on its original subject; `stream`/`seq` locate the new message.',
  });

assertSameType<z.output<typeof deadLetterViewSchema>, DeadLetterView>(true);
assertSameType<Omit<z.output<typeof redriveAcceptedSchema>, 'status' | 'id'>, RedriveReceipt>(true);
