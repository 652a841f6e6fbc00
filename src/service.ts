import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { createDocsRouter } from './api/docs-router.js';
import { createManagementRouter } from './api/management-router.js';
import { createActorList } from './actors/actor-list.js';
import { createAttemptLeaseKeeper } from './actors/attempt-lease-keeper.js';
import { attemptLeaseMs } from './actors/attempt-lease-ms.js';
import type { CodegenActorOptions } from './actors/codegen/codegen-actor.js';
import { createDependencyBreakers, type DependencyBreakers } from './actors/dependency-breakers.js';
import { createOperatorActions, type OperatorActions } from './actors/operator-actions.js';
import { runActor, type RunningActor } from './actors/run-actor.js';
import type { NatsLink } from './bus/connect-nats.js';
import { createConsoleRouter } from './console/console-router.js';
import { createDeadLetterWriter } from './bus/dead-letter.js';
import { createDeliveryMessageReader } from './bus/read-delivery-message.js';
import { ensureStreams } from './bus/ensure-streams.js';
import { createPayloadStore } from './bus/payload-store.js';
import { createLastDeliveryReader } from './bus/read-last-delivery.js';
import { createIngressPriority } from './ingress/ingress-priority.js';
import { createStoredPayloadReader } from './bus/stored-payload-reader.js';
import { loadStreamDefinitions, routedEvents } from './bus/stream-definitions.js';
import { createTaskPublisher } from './bus/task-publisher.js';
import { watchConsumerPending } from './bus/watch-consumer-pending.js';
import { watchMaxDeliveries } from './bus/watch-max-deliveries.js';
import { createWebhookPublisher } from './bus/webhook-publisher.js';
import type { Config } from './config/load-config.js';
import { loadRules } from './config/load-rules.js';
import type { RulesFile } from './config/rules-schema.js';
import { createTopology, type Topology } from './contracts/topology.js';
import { createCodegenClient } from './effects/codegen/create-codegen-client.js';
import type { Database } from './effects/db/open-database.js';
import { TASK_STATUSES, TASK_TYPES } from './effects/db/entities/task.js';
import type { TaskTransitionListener } from './effects/db/task-store.js';
import { createGithubClient } from './effects/github/create-github-client.js';
import { createBodyByteBudget } from './ingress/body-byte-budget.js';
import { createApp } from './ingress/create-app.js';
import { createEventAgeRule } from './ingress/event-age-rule.js';
import { createHealthRoutes, type HealthCheck } from './ingress/health-routes.js';
import { listenEarly, type EarlyListener } from './ingress/listen-early.js';
import { createMetricsRoute } from './ingress/metrics-route.js';
import { createReplayGuard } from './ingress/replay-guard.js';
import { createRequestRateLimit, REQUEST_RATE_LIMIT_SCOPES } from './ingress/request-rate-limit.js';
import { createShutdownGate } from './ingress/shutdown-gate.js';
import { createStartupResponder } from './ingress/startup-responder.js';
import { createWebhookEndpoint } from './ingress/webhook-endpoint.js';
import { UNKNOWN_EVENT, WEBHOOK_OUTCOMES } from './ingress/webhook-route.js';
import { outboundApiCheck } from './observability/dependency-health.js';
import type { Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { readRuntimeState } from './observability/read-runtime-state.js';
import { seedKnownSeries } from './observability/seed-known-series.js';
import { watchBreaker } from './observability/watch-breaker.js';
import { createRecovery } from './recovery/create-recovery.js';
import { connectDependencies } from './startup/connect-dependencies.js';

export interface ServiceOptions {
  config: Config;
  logger: Logger;
  /** Stream/subject namespace (NATS_NAMESPACE); tests use a unique one per run. */
  namespace?: string;
  metrics?: Metrics;
  /** Rules in place of RULES_FILE (tests). */
  rules?: RulesFile;
  /** Breaker timings in place of the defaults (tests). */
  breakers?: { coolDownMs?: number; failureThreshold?: number };
  codegenPolling?: Pick<CodegenActorOptions, 'pollMs' | 'maxPollMs' | 'maxFollowMs'>;
  /** The clock the event-age rule reads (tests move it forward); Date.now by default. */
  clock?: () => number;
  /** The recovery job's fetch (GitHub's REST API) and first-run delay (tests). */
  recovery?: { fetch?: typeof fetch; firstRunDelayMs?: number };
  /** Backoff bounds while NATS or PostgreSQL cannot be reached at start (tests). */
  startupRetry?: { initialDelayMs?: number; maxDelayMs?: number };
  /** This process's id on the task attempts it runs. Default: host name and a random suffix per start. */
  instanceId?: string;
}

/** What the composition root built: handed to tests and operator tooling. */
export interface ServiceParts {
  config: Config;
  database: Database;
  topology: Topology;
  nats: NatsLink;
  metrics: Metrics;
  breakers: DependencyBreakers;
  operatorActions: OperatorActions;
  onTransition: TaskTransitionListener;
  logger: Logger;
  /** Recorded as the owner of every task attempt this process runs. */
  instanceId: string;
}

export interface Service extends ServiceParts {
  server: Server;
  url: string;
  actors: RunningActor[];
  /** Graceful stop: refuse new work, finish in-flight requests and handlers, drain NATS, close the database. */
  close(): Promise<void>;
}

/**
 * The composition root: opens NATS, the streams and PostgreSQL, builds every part with only what
 * it needs, starts the actors and the HTTP server, and owns the shutdown order.
 * `main.ts` only reads the environment and handles signals.
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const startedAt = Date.now();
  const waitingFor = new Map<string, string>();
  const listener = await listenEarly({
    port: options.config.http.port,
    host: options.config.http.host,
    initial: createStartupResponder({ reasons: () => [...waitingFor.values()], startedAt }),
  });
  options.logger.info({ url: listener.url }, 'starting: /health/live answers, /health/ready is 503 until NATS and PostgreSQL are up');
  try {
    return await assembleService(options, listener, waitingFor, startedAt);
  } catch (error) {
    await new Promise((resolve) => listener.server.close(resolve));
    throw error;
  }
}

async function assembleService(
  options: ServiceOptions,
  listener: EarlyListener,
  waitingFor: Map<string, string>,
  startedAt: number,
): Promise<Service> {
  const { config, logger } = options;
  const metrics = options.metrics ?? createMetrics();
  const topology = createTopology(options.namespace ?? '');
  const rules = options.rules ?? loadRules(config.rulesFile);

  const { nats, database } = await connectDependencies({
    nats: config.nats,
    database: config.database,
    logger,
    onState: (dependency, problem) => (problem === undefined ? waitingFor.delete(dependency) : waitingFor.set(dependency, problem)),
    ...(options.startupRetry ? { retry: options.startupRetry } : {}),
  });
  const jsm = await jetstreamManager(nats.nc);
  const js = jetstream(nats.nc);
  const definitions = await loadStreamDefinitions(config.nats.streamsDir);
  const report = await ensureStreams({
    jsm,
    definitions,
    topology,
    logger: logger.child({ component: 'streams' }),
    duplicateWindowSeconds: config.nats.duplicateWindowSeconds,
    replicas: config.nats.replicas,
  });
  logger.info(
    { created: report.created, updated: report.updated.map((u) => u.name), unchanged: report.unchanged.length },
    'streams and consumers match streams/',
  );

  // Ingress and actors share this process's event loop: the endpoint comes first (see IngressPriority).
  const ingressPriority = createIngressPriority();
  const payloadStore = await createPayloadStore({ nc: nats.nc, bucket: topology.payloadBucket, replicas: config.nats.replicas });
  const githubMaxAgeNs = definitions.streams.find((stream) => stream.name === 'GITHUB')?.max_age ?? 0;
  if (config.webhook.replayTtlSeconds * 1e9 > githubMaxAgeNs && githubMaxAgeNs > 0) {
    // The replay check finds a body by the message that carries it: none outlives the stream's max_age.
    logger.warn({ replay_ttl_seconds: config.webhook.replayTtlSeconds, github_max_age_seconds: githubMaxAgeNs / 1e9 }, 'WEBHOOK_REPLAY_TTL_SECONDS is longer than the GITHUB stream keeps messages; bodies are remembered only that long');
  }
  const readLastDelivery = createLastDeliveryReader({ nc: nats.nc, stream: topology.streams.github, timeoutMs: config.nats.publishTimeoutMs });
  const publish = createWebhookPublisher({ nc: nats.nc, js, topology, payloadStore, readLast: readLastDelivery, timeoutMs: config.nats.publishTimeoutMs });
  const publishTask = createTaskPublisher({ js, topology });
  const deadLetter = createDeadLetterWriter({ js, topology });
  const onTransition: TaskTransitionListener = (taskType, status) => metrics.tasks.inc({ task_type: taskType, status });

  const breakers = createDependencyBreakers(options.breakers);
  const breakerWatches = Object.values(breakers).map((breaker) => watchBreaker(breaker, metrics, logger.child({ component: 'breaker' })));
  const github = createGithubClient({
    graphqlUrl: config.github.graphqlUrl,
    auth: config.github.token
      ? { kind: 'token', token: config.github.token }
      : config.github.appId && config.github.appPrivateKey
        ? { kind: 'app', appId: config.github.appId, privateKey: config.github.appPrivateKey }
        : { kind: 'none' },
    logger: logger.child({ component: 'github' }),
    metrics,
    timeoutMs: config.github.timeoutMs,
  });
  const codegen = createCodegenClient({
    apiUrl: config.codegen.apiUrl,
    token: config.codegen.token,
    orgId: config.codegen.orgId,
    logger: logger.child({ component: 'codegen' }),
    metrics,
    timeoutMs: config.codegen.timeoutMs,
  });
  seedKnownSeries(metrics, {
    // The events with a consumer of their own, `ping` (sent when a hook is created) and the label of a malformed header.
    webhookEvents: [...new Set([...routedEvents(definitions.consumers), 'ping', UNKNOWN_EVENT])],
    webhookOutcomes: WEBHOOK_OUTCOMES,
    // 16 series per pair: the answers GitHub gets a 202 for, whose time the latency panels show.
    webhookLatencyOutcomes: ['accepted', 'duplicate'],
    taskTypes: TASK_TYPES,
    taskStatuses: TASK_STATUSES,
    // The Codegen client's local limits and Codegen's own 429s.
    rateLimitScopes: [...REQUEST_RATE_LIMIT_SCOPES, 'codegen_create', 'codegen_read', 'codegen_api'],
    codegenStatuses: ['created', 'completed', 'failed', 'cancelled'],
  });
  const operatorActions = createOperatorActions({ js, jsm, orm: database.orm, topology, publishTask, onTransition });

  // Random per start: a restarted process (same host name, same pod) must not count its
  // predecessor's attempts as its own.
  const instanceId = options.instanceId ?? `${hostname()}/${process.pid}-${randomBytes(3).toString('hex')}`;
  const actors: RunningActor[] = [];
  const watchers: Array<{ stop(): void }> = [];
  if (config.actorsEnabled) {
    const leases = createAttemptLeaseKeeper({
      fork: () => database.orm.em.fork(),
      owner: instanceId,
      leaseMs: attemptLeaseMs(definitions.consumers),
      logger,
    });
    watchers.push(leases);
    const definitionsList = createActorList({
      payloadStore,
      readStored: createStoredPayloadReader(jsm, topology.streamName('GITHUB')),
      publishTask,
      onTransition,
      github,
      codegen,
      breakers,
      rules,
      metrics,
      fork: () => database.orm.em.fork(),
      leases,
      budgets: {
        github: { limit: config.github.callsPerHour, windowMs: 3_600_000 },
        codegen: {
          create: { limit: config.codegen.createsPerMinute, windowMs: 60_000 },
          read: { limit: config.codegen.readsPer30s, windowMs: 30_000 },
        },
      },
      ...(options.codegenPolling ? { codegenPolling: options.codegenPolling } : {}),
    });
    for (const definition of definitionsList) {
      actors.push(
        runActor(definition, {
          js,
          orm: database.orm,
          topology,
          logger,
          metrics,
          deadLetter,
          databaseBreaker: breakers.database,
          admitBatch: (batch) => ingressPriority.admit(batch),
        }),
      );
    }
    watchers.push(
      watchConsumerPending({
        jsm,
        consumers: definitions.consumers.map((c) => ({ stream: topology.streamName(c.stream), durable: c.config.durable_name })),
        metrics,
      }),
      watchMaxDeliveries({
        nc: nats.nc,
        jsm,
        streams: [topology.streams.github, topology.streams.tasks],
        deadLetter,
        metrics,
        logger: logger.child({ component: 'dlq' }),
      }),
    );
  }

  const recovery = await createRecovery({
    config,
    nc: nats.nc,
    js,
    jsm,
    orm: database.orm,
    topology,
    metrics,
    logger,
    ...options.recovery,
  });
  recovery?.start();

  if (!config.api.token) logger.warn('management API disabled: set API_TOKEN to enable /api/v1/tasks, deliveries and dead-letters');
  const parts: ServiceParts = { config, database, topology, nats, metrics, breakers, operatorActions, onTransition, logger, instanceId };
  const shutdownGate = createShutdownGate();
  const checks: HealthCheck[] = [
    {
      name: 'database',
      critical: true,
      check: async () => ((await database.ping(1500)) ? { status: 'up', breaker: breakers.database.state } : { status: 'down', breaker: breakers.database.state }),
    },
    {
      name: 'nats',
      critical: true,
      check: () => (nats.connected() ? { status: 'up', server: nats.nc.getServer() } : { status: 'down' }),
    },
    outboundApiCheck({ name: 'github_api', configured: github.configured, breaker: breakers.github, lastCall: () => github.lastCall() }),
    outboundApiCheck({ name: 'codegen_api', configured: codegen.configured, breaker: breakers.codegen, lastCall: () => codegen.lastCall() }),
  ];
  const streamNames = Object.values(topology.streams);
  const app = createApp({
    logger,
    shutdownGate,
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
          publish,
          readLast: config.webhook.replayTtlSeconds > 0 ? readLastDelivery : undefined,
          stream: topology.streams.github,
          horizonMs: config.webhook.replayTtlSeconds * 1000,
          metrics,
          logger: logger.child({ component: 'replay-guard' }),
          ...(options.clock ? { now: options.clock } : {}),
        }),
      }, ingressPriority),
    ],
    routers: [
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
          if (!(await database.ping(1500))) reasons.push('PostgreSQL does not answer');
          return { ready: reasons.length === 0, reasons };
        },
      }),
      createMetricsRoute(metrics.registry),
      createManagementRouter({
        orm: database.orm,
        apiToken: config.api.token,
        logger,
        onTransition,
        requeueTask: operatorActions.requeueTask,
        replayDelivery: (delivery) => operatorActions.replayDelivery(delivery.deliveryId),
        listDeadLetters: operatorActions.listDeadLetters,
        redriveDeadLetter: operatorActions.redriveDeadLetter,
        readDeliveryMessage: createDeliveryMessageReader({ jsm, stream: topology.streams.github, payloadStore }),
        readRuntimeState: () => readRuntimeState(metrics.registry),
        startRecovery: recovery ? (since) => recovery.trigger(since) : undefined,
      }),
      createDocsRouter(),
      createConsoleRouter({ apiEnabled: Boolean(config.api.token) }),
    ],
  });

  const { server, url } = listener;
  listener.serve(app.callback());
  logger.info({ url, instance: instanceId, actors: actors.map((actor) => actor.name) }, 'listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const deadline = Date.now() + config.shutdownTimeoutMs;
      const remaining = () => Math.max(0, deadline - Date.now() - 1000);
      logger.info('shutting down: no new requests');
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const stopActors = Promise.all(actors.map((actor) => actor.stop(remaining())));
      const gate = await shutdownGate.close(remaining());
      if (!gate.drained) logger.warn({ remaining: gate.remaining }, 'in-flight requests did not finish in time');
      server.closeAllConnections();
      await serverClosed;
      await stopActors;
      await recovery?.stop();
      for (const watcher of watchers) watcher.stop();
      for (const watch of breakerWatches) watch.unsubscribe();
      for (const breaker of Object.values(breakers)) breaker.dispose();
      await nats.nc.drain().catch((error: unknown) => logger.warn({ err: error }, 'NATS drain failed'));
      await database.close().catch((error: unknown) => logger.warn({ err: error }, 'database close failed'));
      logger.info('shut down');
    })());

  return { ...parts, server, url, actors, close };
}
