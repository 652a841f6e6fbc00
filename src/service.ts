import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { CodegenActorOptions } from './actors/codegen/codegen-actor.js';
import { createDependencyBreakers, type DependencyBreakers } from './actors/dependency-breakers.js';
import { createManagementActions, type ManagementActions } from './actors/management-actions.js';
import type { RunningActor } from './actors/run-actor.js';
import type { NatsLink } from './bus/connect-nats.js';
import { createDeadLetterWriter } from './bus/dead-letter.js';
import { ensureStreams } from './bus/ensure-streams.js';
import { createPayloadStore } from './bus/payload-store.js';
import { createDeliveryMessageReader } from './bus/read-delivery-message.js';
import { createLastDeliveryReader } from './bus/read-last-delivery.js';
import { createStoredPayloadReader } from './bus/stored-payload-reader.js';
import { loadStreamDefinitions } from './bus/stream-definitions.js';
import { createTaskPublisher } from './bus/task-publisher.js';
import { createWebhookPublisher } from './bus/webhook-publisher.js';
import type { Config } from './config/load-config.js';
import { loadRules } from './config/load-rules.js';
import type { RulesFile } from './config/rules-schema.js';
import { createTopology, type Topology } from './contracts/topology.js';
import type { Database } from './effects/db/open-database.js';
import type { TaskTransitionListener } from './effects/db/task-store.js';
import { createIngressPriority } from './ingress/ingress-priority.js';
import { listenEarly, type EarlyListener } from './ingress/listen-early.js';
import { createShutdownGate } from './ingress/shutdown-gate.js';
import { createStartupResponder } from './ingress/startup-responder.js';
import type { Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { readRuntimeState } from './observability/read-runtime-state.js';
import { watchBreaker } from './observability/watch-breaker.js';
import { createRecovery } from './recovery/create-recovery.js';
import { createHealthChecks } from './service/health-checks.js';
import { createOutboundClients } from './service/outbound-clients.js';
import { seedServiceSeries } from './service/seed-service-series.js';
import { createServiceApp } from './service/service-app.js';
import { createServiceShutdown } from './service/service-shutdown.js';
import { startActors } from './service/start-actors.js';
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
  /** The owner recorded on task attempts (tests); random per start by default. */
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
  managementActions: ManagementActions;
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
 * it needs, starts the actors and the HTTP server, and owns the shutdown order. The parts it wires
 * are in service/: health checks, the HTTP app, the actors, the outbound clients, the shutdown.
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
  const { github, codegen } = createOutboundClients(config, logger, metrics);
  seedServiceSeries(metrics, definitions.consumers);
  const managementActions = createManagementActions({ js, jsm, orm: database.orm, topology, publishTask, onTransition });

  // Random per start: a restarted process (same host name, same pod) must not count its
  // predecessor's attempts as its own.
  const instanceId = options.instanceId ?? `${hostname()}/${process.pid}-${randomBytes(3).toString('hex')}`;
  const { actors, watchers } = config.actorsEnabled
    ? startActors({
        config,
        nats,
        js,
        jsm,
        database,
        topology,
        definitions,
        deadLetter,
        breakers,
        logger,
        metrics,
        payloadStore,
        readStored: createStoredPayloadReader(jsm, topology.streamName('GITHUB')),
        ingressPriority,
        instanceId,
        publishTask,
        onTransition,
        github,
        codegen,
        rules,
        ...(options.codegenPolling ? { codegenPolling: options.codegenPolling } : {}),
      })
    : { actors: [], watchers: [] };

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
  const parts: ServiceParts = { config, database, topology, nats, metrics, breakers, managementActions, onTransition, logger, instanceId };
  const shutdownGate = createShutdownGate();
  const app = createServiceApp({
    config,
    logger,
    metrics,
    topology,
    database,
    publish,
    readLastDelivery,
    payloadStore,
    shutdownGate,
    ingressPriority,
    onTransition,
    clock: options.clock,
    health: {
      ...createHealthChecks({ database, nats, jsm, streamNames: Object.values(topology.streams), breakers, github, codegen, shutdownGate }),
      startedAt,
    },
    ports: {
      requeueTask: managementActions.requeueTask,
      replayDelivery: (delivery) => managementActions.replayDelivery(delivery.deliveryId),
      listDeadLetters: managementActions.listDeadLetters,
      redriveDeadLetter: managementActions.redriveDeadLetter,
      readDeliveryMessage: createDeliveryMessageReader({ jsm, stream: topology.streams.github, payloadStore }),
      readRuntimeState: () => readRuntimeState(metrics.registry),
      startRecovery: recovery ? (since) => recovery.trigger(since) : undefined,
    },
  });

  const { server, url } = listener;
  listener.serve(app.callback());
  logger.info({ url, instance: instanceId, actors: actors.map((actor) => actor.name) }, 'listening');

  const close = createServiceShutdown({
    server,
    shutdownGate,
    actors,
    background: [
      async () => recovery?.stop(),
      () => watchers.forEach((watcher) => watcher.stop()),
      () => breakerWatches.forEach((watch) => watch.unsubscribe()),
      () => Object.values(breakers).forEach((breaker) => breaker.dispose()),
    ],
    nats,
    database,
    logger,
    timeoutMs: config.shutdownTimeoutMs,
  });
  return { ...parts, server, url, actors, close };
}
