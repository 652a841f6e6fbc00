import { z } from 'zod';
import type { BreakerStateView, ConsumerDepthView } from '../../observability/read-runtime-state.js';
import { apiSchemas } from './api-schema-registry.js';
import { timestamp } from './common-schemas.js';
import { assertSameType } from './same-type.js';

/** The longest overview window: one day. */
export const MAX_OVERVIEW_MINUTES = 1440;

/** GET /api/v1/overview query. */
export const overviewQuery = z.strictObject({
  minutes: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_OVERVIEW_MINUTES))
    .default(15)
    .register(apiSchemas, { description: `The window, in minutes back from now (1 to ${MAX_OVERVIEW_MINUTES}).` }),
});

const count = z.number().int().min(0);

export const breakerStateSchema = z
  .object({ dependency: z.string(), state: z.enum(['closed', 'half_open', 'open']) })
  .register(apiSchemas, { id: 'BreakerState' });

export const consumerDepthSchema = z
  .object({ consumer: z.string(), pending: count })
  .register(apiSchemas, { id: 'ConsumerDepth', description: 'Messages waiting for a durable consumer or not yet acknowledged by it.' });

export const overviewSchema = z
  .object({
    minutes: z.number().int().min(1),
    generated_at: timestamp,
    deliveries: z.object({
      per_minute: z
        .array(z.object({ minute: timestamp, count }))
        .register(apiSchemas, { description: 'Deliveries received in each minute of the window, oldest first, empty minutes included.' }),
      by_type: z
        .array(z.object({ event_type: z.string(), outcome: z.string(), count, per_minute: z.number().min(0) }))
        .register(apiSchemas, { description: 'Deliveries of the window by event type and outcome; `per_minute` is the window\'s average.' }),
    }),
    tasks: z
      .array(z.object({ task_type: z.string(), status: z.string(), count }))
      .register(apiSchemas, { description: 'Tasks created in the window, by type and the status they are in now.' }),
    breakers: z.array(breakerStateSchema).register(apiSchemas, { description: 'This instance\'s circuit breakers.' }),
    consumers: z.array(consumerDepthSchema).register(apiSchemas, {
      description: 'Queue depth per durable consumer, as last sampled by this instance (empty when it runs no actors).',
    }),
    dead_letters_waiting: count.nullable().register(apiSchemas, { description: 'Messages in the DLQ stream; null when NATS did not answer.' }),
  })
  .register(apiSchemas, {
    id: 'Overview',
    description:
      'What the console\'s overview shows. Deliveries and tasks are counted in PostgreSQL (every instance\'s work); breakers ' +
      'and queue depths are read from this instance\'s metrics registry, the same numbers /metrics exports.',
  });

assertSameType<z.output<typeof breakerStateSchema>, BreakerStateView>(true);
assertSameType<z.output<typeof consumerDepthSchema>, ConsumerDepthView>(true);
