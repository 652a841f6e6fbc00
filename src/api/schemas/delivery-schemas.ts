import { z } from 'zod';
import { DELIVERY_OUTCOMES } from '../../effects/db/entities/webhook-delivery.js';
import type { DeliveryDetailView, DeliveryView } from '../../effects/db/serialize.js';
import { apiSchemas } from './api-schema-registry.js';
import {
  deliveryIdParam,
  eventNameParam,
  pageAnswerFields,
  pageQueryFields,
  repositoryParam,
  timestamp,
} from './common-schemas.js';
import { assertSameType } from './same-type.js';
import { taskViewSchema } from './task-schemas.js';

export const deliveryOutcomeSchema = z.enum(DELIVERY_OUTCOMES).register(apiSchemas, {
  id: 'DeliveryOutcome',
  description: '`received` until an actor settles the delivery.',
});

/** GET /api/v1/deliveries query. */
export const deliveryListQuery = z.strictObject({
  ...pageQueryFields,
  event: eventNameParam.optional(),
  repository: repositoryParam.optional(),
  outcome: deliveryOutcomeSchema.optional(),
});

/** Path of /api/v1/deliveries/:delivery_id and its actions. */
export const deliveryPathParams = z.strictObject({ delivery_id: deliveryIdParam });

/** A delivery as listed (SPEC §4). */
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

assertSameType<z.output<typeof deliveryViewSchema>, DeliveryView>(true);
assertSameType<z.output<typeof deliveryDetailSchema>, DeliveryDetailView>(true);
