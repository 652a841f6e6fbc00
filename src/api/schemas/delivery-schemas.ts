import { z } from 'zod';
import { DELIVERY_OUTCOMES } from '../../effects/db/entities/webhook-delivery.js';
import type { DeliveryDetailView, DeliveryView } from '../delivery-view.js';
import { apiSchemas } from './api-schema-registry.js';
import {
  deliveryIdParam,
  eventNameParam,
  pageAnswerFields,
  pageQueryFields,
  repositoryParam,
  timestamp,
} from './common-schemas.js';
import type { DeliveryMessage } from '../../contracts/management-views.js';
import { assertSameType } from './same-type.js';
import { taskViewSchema } from './task-schemas.js';

export const deliveryOutcomeSchema = z.enum(DELIVERY_OUTCOMES).register(apiSchemas, {
  id: 'DeliveryOutcome',
  description: '`received` until an actor settles the delivery.',
});

/** A GitHub event's action (the payload's `action` field). */
const actionParam = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a GitHub action such as opened')
  .register(apiSchemas, { description: 'The event\'s action (payload `action`).', examples: ['opened'] });

/** A moment given in a query: ISO-8601 with a zone (`Z` or an offset); the route makes it a Date. */
const momentParam = (description: string) =>
  z.iso
    .datetime({ offset: true, error: 'must be an ISO-8601 date-time with a zone, such as 2026-11-29T10:00:00Z' })
    .register(apiSchemas, { description, examples: ['2026-11-29T10:00:00Z'] });

/** GET /api/v1/deliveries query. */
export const deliveryListQuery = z.strictObject({
  ...pageQueryFields,
  event: eventNameParam.optional(),
  action: actionParam.optional(),
  repository: repositoryParam.optional(),
  outcome: deliveryOutcomeSchema.optional(),
  since: momentParam('Received at or after this moment.').optional(),
  until: momentParam('Received before this moment.').optional(),
});

/** Path of /api/v1/deliveries/:delivery_id and its actions. */
export const deliveryPathParams = z.strictObject({ delivery_id: deliveryIdParam });

/** A delivery as listed. */
export const deliveryViewSchema = z
  .object({
    delivery_id: z.string(),
    event_type: z.string(),
    action: z.string().nullable(),
    repository: z.string().nullable(),
    installation_id: z.number().int().nullable(),
    hook_id: z.string().nullable(),
    stream_seq: z.number().int().nullable(),
    outcome: deliveryOutcomeSchema,
    received_at: timestamp,
    processed_at: timestamp.nullable(),
    error: z.string().nullable(),
  })
  .register(apiSchemas, { id: 'Delivery', description: 'An accepted GitHub delivery and what became of it.' });

export const deliveryDetailSchema = deliveryViewSchema
  .extend({ tasks: z.array(taskViewSchema) })
  .register(apiSchemas, { id: 'DeliveryDetail', description: 'A delivery with the tasks it created, oldest first.' });

export const deliveryListSchema = z
  .object({ deliveries: z.array(deliveryViewSchema), ...pageAnswerFields })
  .register(apiSchemas, { id: 'DeliveryList', description: 'One page of deliveries, newest first.' });

/** 202 of POST /api/v1/deliveries/:delivery_id/replay. */
export const replayAcceptedSchema = z
  .object({
    status: z.literal('queued'),
    delivery_id: z.string(),
    stream: z.string(),
    seq: z.number().int().min(1),
  })
  .register(apiSchemas, {
    id: 'ReplayAccepted',
    description: 'The delivery was published again for its actor; `stream`/`seq` locate the new message.',
  });

/** GET /api/v1/deliveries/:delivery_id/message: where the delivery sits in JetStream, and its headers. */
export const deliveryMessageSchema = z
  .object({
    stream: z.string(),
    seq: z.number().int().min(1),
    subject: z.string(),
    stored_at: timestamp,
    headers: z.record(z.string(), z.array(z.string())),
    payload_bytes: z.number().int().min(0).nullable(),
    claim_check: z.boolean(),
  })
  .register(apiSchemas, {
    id: 'DeliveryMessage',
    description:
      'The delivery\'s message in the GITHUB stream: its sequence, subject, every header as sent and the payload\'s size ' +
      '(`claim_check`: the payload was too large for a message and lives in the object store). The payload itself is ' +
      'served by `GET /api/v1/deliveries/{delivery_id}/payload`, so a 25 MiB body is only read when asked for.',
  });

assertSameType<z.output<typeof deliveryViewSchema>, DeliveryView>(true);
assertSameType<z.output<typeof deliveryDetailSchema>, DeliveryDetailView>(true);
assertSameType<z.output<typeof deliveryMessageSchema>, DeliveryMessage>(true);
