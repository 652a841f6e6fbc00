import { z } from 'zod';
import { defineOperation } from './api-operation.js';
import { errorResponse, retryAfterHeader } from './api-responses.js';
import { NO_PARAMETERS } from './schemas/common-schemas.js';
import {
  healthSchema,
  livenessSchema,
  readinessSchema,
  webhookAcceptedSchema,
  webhookFormSchema,
  webhookHeaders,
  webhookPayloadSchema,
} from './schemas/service-schemas.js';


/**
 * The endpoints served outside the management API (webhook ingress, health, metrics, docs),
 * described for the OpenAPI document. Their routers live in `ingress/` and here.
 */
export const serviceOperations = {
  receiveGitHubWebhook: defineOperation({
    operationId: 'receiveGitHubWebhook',
    method: 'post',
    path: '/api/v1/webhooks/github',
    tags: ['webhooks'],
    summary: 'Receive a GitHub webhook delivery',
    description:
      'Checks, in order: body size (streamed, up to 25 MiB by default), content type, the event and delivery ' +
      'headers, the HMAC-SHA256 signature over the raw bytes (constant time), then parses the body, refuses an event ' +
      'older than WEBHOOK_MAX_EVENT_AGE_SECONDS and recognises a body already accepted under another delivery id ' +
      '(a replay: answered `duplicate`, not published). Answers 202 ' +
      'only after JetStream acknowledged the message: accepted means durable. Authenticated by the signature, ' +
      'not by the bearer token.',
    auth: 'none',
    params: NO_PARAMETERS,
    query: NO_PARAMETERS,
    headers: webhookHeaders,
    requestBody: {
      description: 'The event payload, as JSON or as the `payload` field of a form (GitHub offers both).',
      required: true,
      content: { 'application/json': webhookPayloadSchema, 'application/x-www-form-urlencoded': webhookFormSchema },
    },
    responses: {
      202: {
        description:
          'Accepted and durable; `result.status` is `duplicate` for a delivery id accepted before, and for a body ' +
          'accepted before under another delivery id (a replay: not published, `seq` 0).',
        body: webhookAcceptedSchema,
      },
      400: errorResponse('`bad_request`: missing or malformed X-GitHub-Delivery / X-GitHub-Event, or a body that is not UTF-8 or not a JSON object.'),
      401: errorResponse('`invalid_signature`: X-Hub-Signature-256 missing or not matching; nothing was published.'),
      405: errorResponse('`method_not_allowed`: only POST is served here (see `Allow`).'),
      413: errorResponse('`payload_too_large`: the body exceeds the limit; the connection is then closed.'),
      415: errorResponse('`unsupported_media_type`: not application/json or application/x-www-form-urlencoded, or a charset other than UTF-8.'),
      422: errorResponse('`stale_event`: the event time in the payload is older than WEBHOOK_MAX_EVENT_AGE_SECONDS (a replay); the message names the field.'),
      429: errorResponse('`rate_limited`: too many requests from this address.', retryAfterHeader),
      500: errorResponse('`internal_error`: see the service logs for the correlation id.'),
      503: errorResponse('`unavailable`: JetStream did not acknowledge the message; the event was NOT accepted.', retryAfterHeader),
    },
  }),
  getHealth: defineOperation({
    operationId: 'getHealth',
    method: 'get',
    path: '/health',
    tags: ['operations'],
    summary: 'Health of the service and its dependencies',
    description: 'Makes no outbound call: the GitHub and Codegen checks report their breaker state and last outcome.',
    auth: 'none',
    params: NO_PARAMETERS,
    query: NO_PARAMETERS,
    responses: {
      200: { description: '`healthy`, or `degraded` when only an outbound API is failing.', body: healthSchema },
      503: { description: '`unhealthy`: the database or NATS is down.', body: healthSchema },
    },
  }),
  getLiveness: defineOperation({
    operationId: 'getLiveness',
    method: 'get',
    path: '/health/live',
    tags: ['operations'],
    summary: 'Kubernetes liveness probe',
    auth: 'none',
    params: NO_PARAMETERS,
    query: NO_PARAMETERS,
    responses: { 200: { description: 'The process answers.', body: livenessSchema } },
  }),
  getReadiness: defineOperation({
    operationId: 'getReadiness',
    method: 'get',
    path: '/health/ready',
    tags: ['operations'],
    summary: 'Kubernetes readiness probe',
    auth: 'none',
    params: NO_PARAMETERS,
    query: NO_PARAMETERS,
    responses: {
      200: { description: 'NATS connected, streams present, PostgreSQL answering, not shutting down.', body: readinessSchema },
      503: { description: 'Not ready; `reasons` says why.', body: readinessSchema },
    },
  }),
  getMetrics: defineOperation({
    operationId: 'getMetrics',
    method: 'get',
    path: '/metrics',
    tags: ['operations'],
    summary: 'Prometheus metrics (orchestrator_* and process metrics)',
    auth: 'none',
    params: NO_PARAMETERS,
    query: NO_PARAMETERS,
    responses: {
      200: { description: 'Prometheus text exposition format.', body: z.string(), contentType: 'text/plain; version=0.0.4' },
    },
  }),
  getOpenApiDocument: defineOperation({
    operationId: 'getOpenApiDocument',
    method: 'get',
    path: '/openapi.json',
    tags: ['operations'],
    summary: 'This OpenAPI 3.1 document',
    auth: 'none',
    params: NO_PARAMETERS,
    query: NO_PARAMETERS,
    responses: { 200: { description: 'The document.', body: z.looseObject({}) } },
  }),
  getDocs: defineOperation({
    operationId: 'getDocs',
    method: 'get',
    path: '/docs',
    tags: ['operations'],
    summary: 'Swagger UI for this document',
    auth: 'none',
    params: NO_PARAMETERS,
    query: NO_PARAMETERS,
    responses: { 200: { description: 'An HTML page.', body: z.string(), contentType: 'text/html' } },
  }),
} as const;
