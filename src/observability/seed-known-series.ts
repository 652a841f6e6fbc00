import type { Metrics } from './metrics.js';

/** The label values each counter is known to take before anything has happened. */
export interface KnownSeries {
  /** `event` × `outcome` of orchestrator_webhook_requests_total. */
  webhookEvents: readonly string[];
  webhookOutcomes: readonly string[];
  /** The outcomes whose answer time orchestrator_webhook_request_duration_seconds is seeded for (per event). */
  webhookLatencyOutcomes: readonly string[];
  /** `task_type` × `status` of orchestrator_tasks_total. */
  taskTypes: readonly string[];
  taskStatuses: readonly string[];
  /** `scope` of orchestrator_rate_limited_total. */
  rateLimitScopes: readonly string[];
  /** `status` of orchestrator_codegen_runs_total. */
  codegenStatuses: readonly string[];
}

/**
 * Creates every known series of the labelled counters (and of the answer-time histogram) at 0. Prometheus' rate() and increase()
 * need a sample before the first increment: a series born at 1 loses that first event (the first
 * bad signature of a rotation, the first failed task), and an alert on it stays silent.
 */
export function seedKnownSeries(metrics: Metrics, known: KnownSeries): void {
  for (const event of known.webhookEvents) {
    for (const outcome of known.webhookOutcomes) metrics.webhookRequests.inc({ event, outcome }, 0);
    for (const outcome of known.webhookLatencyOutcomes) metrics.webhookRequestDuration.zero({ event, outcome });
  }
  for (const taskType of known.taskTypes) {
    for (const status of known.taskStatuses) metrics.tasks.inc({ task_type: taskType, status }, 0);
  }
  for (const scope of known.rateLimitScopes) metrics.rateLimited.inc({ scope }, 0);
  for (const status of known.codegenStatuses) metrics.codegenRuns.inc({ status }, 0);
}
