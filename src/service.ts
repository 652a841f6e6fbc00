import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Config } from './config/load-config.js';
import { createTopology, type Topology } from './contracts/topology.js';
import { connectNats, type NatsLink } from './bus/connect-nats.js';
import { ensureStreams } from './bus/ensure-streams.js';
import { createPayloadStore } from './bus/payload-store.js';
import { loadStreamDefinitions } from './bus/stream-definitions.js';
import { createWebhookPublisher } from './bus/webhook-publisher.js';
import { createApp } from './ingress/create-app.js';
import { createHealthRoutes, type HealthCheck } from './ingress/health-routes.js';
import { createMetricsRoute } from './ingress/metrics-route.js';
import { createRequestRateLimit } from './ingress/request-rate-limit.js';
import { createShutdownGate } from './ingress/shutdown-gate.js';
import { createWebhookRouter } from './ingress/webhook-router.js';
import type { Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';

export interface ServiceOptions {
  config: Config;
  logger: Logger;
  /** Stream/subject namespace (NATS_NAMESPACE); tests use a unique one per run. */
  namespace?: string;
  metrics?: Metrics;
}

export interface Service {
  server: Server;
  url: string;
  topology: Topology;
  nats: NatsLink;
  metrics: Metrics;
  /** Graceful stop: refuse new work, finish in-flight requests, drain NATS. */
  close(): Promise<void>;
}

/**
 * The composition root: opens NATS and the rest, builds every part with only what it needs,
 * starts listening, and owns the shutdown order. `main.ts` only reads the environment and signals.
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const { config, logger } = options;
  const startedAt = Date.now();
  const metrics = options.metrics ?? createMetrics();
  const topology = createTopology(options.namespace ?? '');

  const nats = await connectNats({ servers: config.nats.servers, logger: logger.child({ component: 'nats' }) });
  const jsm = await jetstreamManager(nats.nc);
  const js = jetstream(nats.nc);
  const definitions = await loadStreamDefinitions(config.nats.streamsDir);
  const report = await ensureStreams({
    jsm,
    definitions,
    topology,
    logger: logger.child({ component: 'streams' }),
    duplicateWindowSeconds: config.nats.duplicateWindowSeconds,
  });
  logger.info(
    { created: report.created, updated: report.updated.map((u) => u.name), unchanged: report.unchanged.length },
    'streams and consumers match streams/',
  );
  const payloadStore = await createPayloadStore({ nc: nats.nc, bucket: topology.payloadBucket });
  const publish = createWebhookPublisher({
    nc: nats.nc,
    js,
    topology,
    payloadStore,
    timeoutMs: config.nats.publishTimeoutMs,
  });

  const shutdownGate = createShutdownGate();
  const checks: HealthCheck[] = [
    {
      name: 'nats',
      critical: true,
      check: () => (nats.connected() ? { status: 'up', server: nats.nc.getServer() } : { status: 'down' }),
    },
  ];
  const streamNames = Object.values(topology.streams);
  const app = createApp({
    logger,
    shutdownGate,
    routers: [
      createWebhookRouter({
        secrets: config.webhook.secrets,
        maxBodyBytes: config.webhook.maxBodyBytes,
        publish,
        rateLimit: createRequestRateLimit({ ...config.webhook.rateLimit, metrics }),
        metrics,
      }),
      createHealthRoutes({
        checks,
        startedAt,
        async ready() {
          const reasons: string[] = [];
          if (shutdownGate.closing) reasons.push('shutting down');
          if (!nats.connected()) reasons.push('NATS is not connected');
          else {
            for (const name of streamNames) {
              await jsm.streams.info(name).catch(() => reasons.push(`stream ${name} is missing`));
            }
          }
          return { ready: reasons.length === 0, reasons };
        },
      }),
      createMetricsRoute(metrics.registry),
    ],
  });

  const server = createServer(app.callback());
  // GitHub waits 10 s; a request that has not finished its headers by then will not be answered usefully.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url }, 'listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const deadline = Date.now() + config.shutdownTimeoutMs;
      logger.info('shutting down: no new requests');
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const gate = await shutdownGate.close(Math.max(0, deadline - Date.now() - 1000));
      if (!gate.drained) logger.warn({ remaining: gate.remaining }, 'in-flight requests did not finish in time');
      server.closeAllConnections();
      await serverClosed;
      await nats.nc.drain().catch((error: unknown) => logger.warn({ err: error }, 'NATS drain failed'));
      logger.info('shut down');
    })());

  return { server, url, topology, nats, metrics, close };
}
