import type Koa from 'koa';
import { createDocsRouter } from '../api/docs-router.js';
import { createManagementRouter } from '../api/management-router.js';
import type { ManagementPorts } from '../api/management-ports.js';
import type { PayloadStore } from '../bus/payload-store.js';
import type { ReadLastDelivery } from '../bus/read-last-delivery.js';
import type { WebhookPublisher } from '../bus/webhook-publisher.js';
import type { Config } from '../config/load-config.js';
import { createConsoleRouter } from '../console/console-router.js';
import type { Topology } from '../contracts/topology.js';
import type { Database } from '../effects/db/open-database.js';
import type { TaskTransitionListener } from '../effects/db/task-store.js';
import { createBodyByteBudget } from '../ingress/body-byte-budget.js';
import { createApp } from '../ingress/create-app.js';
import { createEventAgeRule } from '../ingress/event-age-rule.js';
import { createHealthRoutes, type HealthRoutesOptions } from '../ingress/health-routes.js';
import type { IngressPriority } from '../ingress/ingress-priority.js';
import { createMetricsRoute } from '../ingress/metrics-route.js';
import { createReplayGuard } from '../ingress/replay-guard.js';
import { createRequestRateLimit } from '../ingress/request-rate-limit.js';
import type { ShutdownGate } from '../ingress/shutdown-gate.js';
import { createWebhookEndpoint } from '../ingress/webhook-endpoint.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/** Everything the HTTP side is made of, built elsewhere by the composition root. */
export interface ServiceAppOptions {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  topology: Topology;
  database: Database;
  publish: WebhookPublisher;
  /** Reads the first delivery of a body the publish found already stored (the replay check). */
  readLastDelivery: ReadLastDelivery;
  payloadStore: PayloadStore;
  shutdownGate: ShutdownGate;
  /** Webhook requests in flight hold the actors' batches back. */
  ingressPriority: IngressPriority;
  health: Pick<HealthRoutesOptions, 'checks' | 'ready' | 'startedAt'>;
  /** What the management API does outside api/ (the bus, recovery). */
  ports: ManagementPorts;
  onTransition: TaskTransitionListener;
  /** The clock the event-age rule reads (tests move it forward). */
  clock?: (() => number) | undefined;
}

/**
 * The service's Koa app: the webhook endpoint with its guards (body byte budget, rate limit,
 * event age, replay), then health, metrics, the management API, its docs and the console.
 */
export function createServiceApp(options: ServiceAppOptions): Koa {
  const { config, logger, metrics, topology } = options;
  return createApp({
    logger,
    shutdownGate: options.shutdownGate,
    endpoints: [
      createWebhookEndpoint({
        secrets: config.webhook.secrets,
        maxBodyBytes: config.webhook.maxBodyBytes,
        bodyBudget: createBodyByteBudget({
          maxBytes: config.webhook.inflightBytesMax,
          onChange: (bytes) => metrics.webhookBodyBytesInFlight.set(bytes),
        }),
        rateLimit: createRequestRateLimit({ ...config.webhook.rateLimit, metrics }),
        metrics,
        checkEventAge: createEventAgeRule({ maxAgeSeconds: config.webhook.maxEventAgeSeconds, ...(options.clock ? { now: options.clock } : {}) }),
        replayGuard: createReplayGuard({
          publish: options.publish,
          readLast: config.webhook.replayTtlSeconds > 0 ? options.readLastDelivery : undefined,
          stream: topology.streams.github,
          horizonMs: config.webhook.replayTtlSeconds * 1000,
          metrics,
          logger: logger.child({ component: 'replay-guard' }),
          ...(options.clock ? { now: options.clock } : {}),
        }),
        debugLog: logger.debug(),
      }, options.ingressPriority),
    ],
    routers: [
      createHealthRoutes(options.health),
      createMetricsRoute(metrics.registry),
      createManagementRouter({ orm: options.database.orm, apiToken: config.api.token, logger, onTransition: options.onTransition, ...options.ports }),
      createDocsRouter(),
      createConsoleRouter({ apiEnabled: Boolean(config.api.token) }),
    ],
  });
}
