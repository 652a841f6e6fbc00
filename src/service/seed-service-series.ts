import { routedEvents, type ConsumerDefinition } from '../bus/stream-definitions.js';
import { TASK_STATUSES, TASK_TYPES } from '../effects/db/entities/task.js';
import { REQUEST_RATE_LIMIT_SCOPES } from '../ingress/request-rate-limit.js';
import { UNKNOWN_EVENT, WEBHOOK_OUTCOMES } from '../ingress/webhook-handler.js';
import type { Metrics } from '../observability/metrics.js';
import { seedKnownSeries } from '../observability/seed-known-series.js';

/**
 * Makes every known series of the service's labelled counters exist at 0, so `rate()` and
 * `increase()` count the first event of each: the events with a consumer of their own, `ping`
 * (sent when a hook is created) and the label of a malformed event header; every task type and
 * status; every rate-limit scope; every Codegen run status.
 */
export function seedServiceSeries(metrics: Metrics, consumers: readonly ConsumerDefinition[]): void {
  seedKnownSeries(metrics, {
    webhookEvents: [...new Set([...routedEvents(consumers), 'ping', UNKNOWN_EVENT])],
    webhookOutcomes: WEBHOOK_OUTCOMES,
    // 16 series per pair: the answers GitHub gets a 202 for, whose time the latency panels show.
    webhookLatencyOutcomes: ['accepted', 'duplicate'],
    taskTypes: TASK_TYPES,
    taskStatuses: TASK_STATUSES,
    // The Codegen client's local limits and Codegen's own 429s.
    rateLimitScopes: [...REQUEST_RATE_LIMIT_SCOPES, 'codegen_create', 'codegen_read', 'codegen_api'],
    // Created, and each way a run ends.
    codegenStatuses: ['created', 'completed', 'failed', 'cancelled'],
  });
}
