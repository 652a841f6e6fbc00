import { z } from 'zod';
import { defineOperation } from './api-operation.js';
import { errorResponse, retryAfterHeader } from './api-responses.js';
import { NO_PARAMETERS } from './schemas/common-schemas.js';
import { deadLetterListQuery, deadLetterListSchema, deadLetterPathParams, redriveAcceptedSchema } from './schemas/dead-letter-schemas.js';
import {
  deliveryDetailSchema,
  deliveryListQuery,
  deliveryListSchema,
  deliveryMessageSchema,
  deliveryPathParams,
  replayAcceptedSchema,
} from './schemas/delivery-schemas.js';
import { overviewQuery, overviewSchema } from './schemas/overview-schemas.js';
import { recoveryListQuery, recoveryListSchema, recoveryStartQuery, recoveryStartedSchema } from './schemas/recovery-schemas.js';
import { taskDetailSchema, taskListQuery, taskListSchema, taskPathParams, taskViewSchema } from './schemas/task-schemas.js';

/** The answers every management operation may give besides its own. */
const guarded = {
  400: errorResponse('`validation_failed`: a parameter is malformed or unknown; the message names it.'),
  401: errorResponse('`unauthorized`: missing or wrong bearer token, or API_TOKEN unset (the API is then disabled).', {
    'WWW-Authenticate': { description: '`Bearer realm="webhook-orchestrator"`', schema: z.string() },
  }),
  500: errorResponse('`internal_error`: see the service logs for the correlation id.'),
} as const;

const notFound = (what: string) => errorResponse(`\`not_found\`: no ${what} has this id.`);
const notRetained = errorResponse('`conflict`: the GITHUB stream no longer holds the delivery\'s message (it aged out).');
const natsUnreachable = errorResponse('`unavailable`: JetStream did not answer. Try again.', retryAfterHeader);
const unavailable = errorResponse('`unavailable`: NATS did not acknowledge the message; nothing was queued. Try again.', retryAfterHeader);

/** The management API, described once for the router and the OpenAPI document. */
export const managementOperations = {
  listTasks: defineOperation({
    operationId: 'listTasks',
    method: 'get',
    path: '/api/v1/tasks',
    tags: ['tasks'],
    summary: 'List tasks, newest first',
    auth: 'bearer',
    params: NO_PARAMETERS,
    query: taskListQuery,
    responses: { 200: { description: 'One page of tasks.', body: taskListSchema }, ...guarded },
  }),
  getTask: defineOperation({
    operationId: 'getTask',
    method: 'get',
    path: '/api/v1/tasks/:id',
    tags: ['tasks'],
    summary: 'A task with its findings and attempts',
    auth: 'bearer',
    params: taskPathParams,
    query: NO_PARAMETERS,
    responses: { 200: { description: 'The task.', body: taskDetailSchema }, ...guarded, 404: notFound('task') },
  }),
  retryTask: defineOperation({
    operationId: 'retryTask',
    method: 'post',
    path: '/api/v1/tasks/:id/retry',
    tags: ['tasks'],
    summary: 'Re-queue a failed, dead or skipped task, or a running one whose worker is gone',
    description:
      'Puts the task back to `queued` (clearing its last error; a codegen_trigger also forgets its run, so a new ' +
      'Codegen run starts) and publishes it to its actor. Attempts keep counting. A `running` task is retried only ' +
      'when it is provably abandoned: the lease of its attempt (renewed by the instance running it, two thirds of the ' +
      "consumers' ack_wait long) has run out, so no live worker has it; that attempt is closed `abandoned`. While the " +
      'lease is live the answer is 409.',
    auth: 'bearer',
    params: taskPathParams,
    query: NO_PARAMETERS,
    responses: {
      202: { description: 'Re-queued: the task as it now is.', body: taskViewSchema },
      ...guarded,
      404: notFound('task'),
      409: errorResponse(
        '`conflict`: the task is running under a live lease, queued or retrying, or succeeded; only finished failures and abandoned runs are retried.',
      ),
      503: unavailable,
    },
  }),
  listDeliveries: defineOperation({
    operationId: 'listDeliveries',
    method: 'get',
    path: '/api/v1/deliveries',
    tags: ['deliveries'],
    summary: 'List accepted deliveries and their outcomes, newest first',
    auth: 'bearer',
    params: NO_PARAMETERS,
    query: deliveryListQuery,
    responses: { 200: { description: 'One page of deliveries.', body: deliveryListSchema }, ...guarded },
  }),
  getDelivery: defineOperation({
    operationId: 'getDelivery',
    method: 'get',
    path: '/api/v1/deliveries/:delivery_id',
    tags: ['deliveries'],
    summary: 'A delivery with the tasks it created',
    auth: 'bearer',
    params: deliveryPathParams,
    query: NO_PARAMETERS,
    responses: { 200: { description: 'The delivery.', body: deliveryDetailSchema }, ...guarded, 404: notFound('delivery') },
  }),
  getDeliveryMessage: defineOperation({
    operationId: 'getDeliveryMessage',
    method: 'get',
    path: '/api/v1/deliveries/:delivery_id/message',
    tags: ['deliveries'],
    summary: 'The delivery\'s JetStream message: sequence, subject, headers, payload size',
    auth: 'bearer',
    params: deliveryPathParams,
    query: NO_PARAMETERS,
    responses: {
      200: { description: 'The stored message, without its payload.', body: deliveryMessageSchema },
      ...guarded,
      404: notFound('delivery'),
      409: notRetained,
      503: natsUnreachable,
    },
  }),
  getDeliveryPayload: defineOperation({
    operationId: 'getDeliveryPayload',
    method: 'get',
    path: '/api/v1/deliveries/:delivery_id/payload',
    tags: ['deliveries'],
    summary: 'The delivery\'s payload, byte for byte as GitHub sent it',
    description: 'Read from the GITHUB stream, or from the object store when it was claim-checked (up to 25 MiB).',
    auth: 'bearer',
    params: deliveryPathParams,
    query: NO_PARAMETERS,
    responses: {
      200: { description: 'The JSON payload.', body: z.looseObject({}) },
      ...guarded,
      404: notFound('delivery'),
      409: notRetained,
      503: natsUnreachable,
    },
  }),
  replayDelivery: defineOperation({
    operationId: 'replayDelivery',
    method: 'post',
    path: '/api/v1/deliveries/:delivery_id/replay',
    tags: ['deliveries'],
    summary: 'Re-run a stored delivery through its actor',
    description: 'Idempotency still holds: one task per (delivery, task type), so a replay re-runs existing tasks rather than adding new ones.',
    auth: 'bearer',
    params: deliveryPathParams,
    query: NO_PARAMETERS,
    responses: {
      202: { description: 'Published again for its actor.', body: replayAcceptedSchema },
      ...guarded,
      404: notFound('delivery'),
      409: errorResponse('`conflict`: the delivery can no longer be replayed (its payload is no longer retained).'),
      503: unavailable,
    },
  }),
  listDeadLetters: defineOperation({
    operationId: 'listDeadLetters',
    method: 'get',
    path: '/api/v1/dead-letters',
    tags: ['dead-letters'],
    summary: 'List dead letters (the DLQ stream), newest first',
    auth: 'bearer',
    params: NO_PARAMETERS,
    query: deadLetterListQuery,
    responses: { 200: { description: 'One page of dead letters.', body: deadLetterListSchema }, ...guarded, 503: unavailable },
  }),
  redriveDeadLetter: defineOperation({
    operationId: 'redriveDeadLetter',
    method: 'post',
    path: '/api/v1/dead-letters/:id/redrive',
    tags: ['dead-letters'],
    summary: 'Publish a dead letter again on its original subject',
    auth: 'bearer',
    params: deadLetterPathParams,
    query: NO_PARAMETERS,
    responses: {
      202: { description: 'Published again; removed from the DLQ.', body: redriveAcceptedSchema },
      ...guarded,
      404: notFound('dead letter'),
      503: unavailable,
    },
  }),
  getOverview: defineOperation({
    operationId: 'getOverview',
    method: 'get',
    path: '/api/v1/overview',
    tags: ['overview'],
    summary: 'Deliveries per minute, task outcomes, breakers, queue depths and dead letters, in one answer',
    description: 'What the console\'s overview polls. Deliveries and tasks are counted in PostgreSQL; breaker states and queue depths come from this instance\'s metrics registry.',
    auth: 'bearer',
    params: NO_PARAMETERS,
    query: overviewQuery,
    responses: { 200: { description: 'The overview of the window.', body: overviewSchema }, ...guarded },
  }),
  listRecoveries: defineOperation({
    operationId: 'listRecoveries',
    method: 'get',
    path: '/api/v1/recoveries',
    tags: ['recoveries'],
    summary: 'List missed-delivery recovery runs with the redeliveries they asked for, newest first',
    auth: 'bearer',
    params: NO_PARAMETERS,
    query: recoveryListQuery,
    responses: { 200: { description: 'One page of recovery runs.', body: recoveryListSchema }, ...guarded },
  }),
  startRecovery: defineOperation({
    operationId: 'startRecovery',
    method: 'post',
    path: '/api/v1/recoveries',
    tags: ['recoveries'],
    summary: 'Start a missed-delivery recovery run now',
    description:
      'Lists the hook deliveries GitHub made (the App hook, and RECOVERY_HOOKS), finds the events whose latest attempt failed ' +
      'and that the service never accepted, and asks GitHub to redeliver each once. Runs in the background; one at a time across instances.',
    auth: 'bearer',
    params: NO_PARAMETERS,
    query: recoveryStartQuery,
    responses: {
      202: { description: 'Started.', body: recoveryStartedSchema },
      ...guarded,
      409: errorResponse('`conflict`: a run is going on (here or on another instance), or recovery is not configured.'),
    },
  }),
} as const;
