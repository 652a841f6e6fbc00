import { z } from 'zod';
import type { AcceptedBody } from '../../ingress/webhook-handler.js';
import { apiSchemas } from './api-schema-registry.js';
import { assertSameType } from './same-type.js';

/** The headers GitHub sends with a delivery; the first three are required. */
export const webhookHeaders = z.object({
  'X-GitHub-Delivery': z.string().register(apiSchemas, { description: 'Delivery GUID: the idempotency key of everything downstream.' }),
  'X-GitHub-Event': z.string().register(apiSchemas, { description: 'Event name, e.g. `pull_request`.' }),
  'X-Hub-Signature-256': z.string().register(apiSchemas, {
    description: '`sha256=` + hex HMAC-SHA256 of the raw body with the webhook secret.',
  }),
  'X-GitHub-Hook-ID': z.string().optional().register(apiSchemas, { description: 'Recorded when present.' }),
  'X-GitHub-Hook-Installation-Target-Type': z.string().optional().register(apiSchemas, { description: 'Recorded when present.' }),
  'X-GitHub-Hook-Installation-Target-ID': z.string().optional().register(apiSchemas, { description: 'Recorded when present.' }),
});

/** Any GitHub event payload: the orchestrator stores it as sent. */
export const webhookPayloadSchema = z
  .looseObject({})
  .register(apiSchemas, { id: 'GitHubWebhookPayload', description: 'A GitHub webhook event payload, stored as sent.' });

/** The form encoding GitHub offers: the JSON payload in the `payload` field. */
export const webhookFormSchema = z
  .object({ payload: z.string().register(apiSchemas, { description: 'The event payload as JSON text.' }) })
  .register(apiSchemas, { id: 'GitHubWebhookForm' });

/** 202 of the webhook endpoint: accepted means durable in JetStream. */
export const webhookAcceptedSchema = z
  .object({
    status: z.literal('accepted'),
    delivery_id: z.string(),
    event_type: z.string(),
    result: z.object({
      status: z.enum(['queued', 'duplicate']).register(apiSchemas, {
        description:
          '`duplicate` when this delivery id was accepted before, or this body under another delivery id (a replay); ' +
          'nothing is processed twice.',
      }),
      stream: z.string(),
      seq: z.number().int().min(0).register(apiSchemas, {
        description: 'The message\'s sequence in the stream; 0 for a replayed body, which is not published again.',
      }),
    }),
  })
  .register(apiSchemas, { id: 'WebhookAccepted', description: 'The delivery is stored in JetStream (PubAck received).' });

const checkSchema = z
  .looseObject({ status: z.enum(['up', 'down', 'degraded', 'not_configured']) })
  .register(apiSchemas, { id: 'HealthCheck', description: 'One dependency: its status and details (breaker state, last outcome).' });

export const healthSchema = z
  .object({
    status: z.enum(['healthy', 'degraded', 'unhealthy']),
    checks: z.record(z.string(), checkSchema).register(apiSchemas, {
      description: 'By dependency: database, nats, github_api, codegen_api.',
    }),
    uptime: z.number().int().min(0).register(apiSchemas, { description: 'Seconds since start.' }),
  })
  .register(apiSchemas, {
    id: 'Health',
    description: '`degraded` (200) when only an outbound API fails; `unhealthy` (503) when the database or NATS is down.',
  });

export const livenessSchema = z.object({ status: z.literal('alive') }).register(apiSchemas, { id: 'Liveness' });

export const readinessSchema = z
  .object({ status: z.enum(['ready', 'not_ready']), reasons: z.array(z.string()).optional() })
  .register(apiSchemas, { id: 'Readiness', description: '`reasons` says what is missing when not ready.' });

assertSameType<z.output<typeof webhookAcceptedSchema>, AcceptedBody>(true);
