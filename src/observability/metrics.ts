import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { GaugeAbsentUntilSet } from './gauge-absent-until-set.js';

/** Every metric the service exports (the README's list), registered on a registry made by main. */
export interface Metrics {
  registry: Registry;
  webhookRequests: Counter<'event' | 'outcome'>;
  webhookRequestDuration: Histogram<'event' | 'outcome'>;
  replayChecksSkipped: Counter<'reason'>;
  webhookBodyBytesInFlight: Gauge<never>;
  eventsProcessed: Counter<'actor' | 'outcome'>;
  eventProcessingDuration: Histogram<'actor'>;
  tasks: Counter<'task_type' | 'status'>;
  retries: Counter<'actor'>;
  breakerState: Gauge<'dependency'>;
  rateLimited: Counter<'scope'>;
  consumerPending: Gauge<'consumer'>;
  deadLetters: Counter<'actor'>;
  codegenRuns: Counter<'status'>;
  githubApiCalls: Counter<'operation' | 'outcome'>;
  githubRateLimitRemaining: Gauge<never>;
  recoveryRuns: Counter<'trigger' | 'status'>;
  recoveryRedeliveries: Counter<'outcome'>;
}

/** Breaker states as gauge values: 0 closed, 1 half-open, 2 open. */
export const BREAKER_STATE_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

export interface MetricsOptions {
  registry?: Registry;
  /** Collect process metrics (CPU, RSS, event loop lag, GC). Off in unit tests. */
  defaultMetrics?: boolean;
}

/**
 * prom-client's default gauges that end in `_total`, which the exposition format reserves for
 * counters (`promtool check metrics` fails on them). Each is the sum of a per-type gauge that
 * stays: nodejs_active_handles, nodejs_active_requests, nodejs_active_resources.
 */
const MISNAMED_DEFAULT_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    for (const name of MISNAMED_DEFAULT_GAUGES) if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
  }
  const registers = [registry];
  return {
    registry,
    webhookRequests: new Counter({
      name: 'orchestrator_webhook_requests_total',
      help: 'Webhook requests answered, by GitHub event and outcome (accepted, duplicate, replay_suspected or an error code).',
      labelNames: ['event', 'outcome'],
      registers,
    }),
    webhookRequestDuration: new Histogram({
      name: 'orchestrator_webhook_request_duration_seconds',
      help: 'Time from request start to answer on the webhook endpoint, including the JetStream PubAck.',
      labelNames: ['event', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    replayChecksSkipped: new Counter({
      name: 'orchestrator_webhook_replay_checks_skipped_total',
      help: 'Webhook deliveries answered duplicate without the replay check: JetStream holds their body, but its first delivery could not be read back, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    webhookBodyBytesInFlight: new Gauge({
      name: 'orchestrator_webhook_body_bytes_in_flight',
      help: 'Webhook body bytes held by requests in flight, against WEBHOOK_INFLIGHT_BYTES_MAX.',
      registers,
    }),
    eventsProcessed: new Counter({
      name: 'orchestrator_events_processed_total',
      help: 'Messages settled by an actor, by actor and outcome.',
      labelNames: ['actor', 'outcome'],
      registers,
    }),
    eventProcessingDuration: new Histogram({
      name: 'orchestrator_event_processing_duration_seconds',
      help: 'Time an actor spent on one message, from receipt to settlement.',
      labelNames: ['actor'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    tasks: new Counter({
      name: 'orchestrator_tasks_total',
      help: 'Task status transitions, by task type and the status entered.',
      labelNames: ['task_type', 'status'],
      registers,
    }),
    retries: new Counter({
      name: 'orchestrator_retries_total',
      help: 'Retries scheduled (in process or as a delayed nak), by actor.',
      labelNames: ['actor'],
      registers,
    }),
    breakerState: new Gauge({
      name: 'orchestrator_circuit_breaker_state',
      help: 'Circuit breaker state by dependency: 0 closed, 1 half-open, 2 open.',
      labelNames: ['dependency'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'orchestrator_rate_limited_total',
      help: 'Requests or messages held back by a rate limit, by scope.',
      labelNames: ['scope'],
      registers,
    }),
    consumerPending: new Gauge({
      name: 'orchestrator_consumer_pending_messages',
      help: 'Messages waiting in JetStream for a durable consumer (num_pending + num_ack_pending).',
      labelNames: ['consumer'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'orchestrator_dead_letters_total',
      help: 'Messages terminated and copied to the DLQ stream, by actor.',
      labelNames: ['actor'],
      registers,
    }),
    codegenRuns: new Counter({
      name: 'orchestrator_codegen_runs_total',
      help: 'Codegen agent runs by the status observed (created, completed, failed, ...).',
      labelNames: ['status'],
      registers,
    }),
    githubApiCalls: new Counter({
      name: 'orchestrator_github_api_calls_total',
      help: 'GitHub GraphQL calls by operation and outcome.',
      labelNames: ['operation', 'outcome'],
      registers,
    }),
    // Absent until GitHub has reported a value: a 0 before the first call would read as "used up".
    githubRateLimitRemaining: new GaugeAbsentUntilSet({
      name: 'orchestrator_github_rate_limit_remaining',
      help: 'GitHub API calls remaining in the current rate-limit window, as last reported (absent until GitHub has answered).',
      registers,
    }),
    recoveryRuns: new Counter({
      name: 'orchestrator_recovery_runs_total',
      help: 'Missed-delivery recovery runs, by trigger (schedule, manual) and how they ended (completed, paused, failed).',
      labelNames: ['trigger', 'status'],
      registers,
    }),
    recoveryRedeliveries: new Counter({
      name: 'orchestrator_recovery_redeliveries_total',
      help: 'Redeliveries asked of GitHub for failed deliveries the service never accepted, by outcome (requested, failed).',
      labelNames: ['outcome'],
      registers,
    }),
  };
}
