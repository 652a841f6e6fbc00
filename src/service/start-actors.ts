import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { createActorList, type ActorListOptions } from '../actors/actor-list.js';
import { createAttemptLeaseKeeper } from '../actors/attempt-lease-keeper.js';
import { attemptLeaseMs } from '../actors/attempt-lease-ms.js';
import type { DependencyBreakers } from '../actors/dependency-breakers.js';
import { runActor, type RunningActor } from '../actors/run-actor.js';
import type { NatsLink } from '../bus/connect-nats.js';
import type { DeadLetterWriter } from '../bus/dead-letter.js';
import type { StreamDefinitions } from '../bus/stream-definitions.js';
import { watchConsumerPending } from '../bus/watch-consumer-pending.js';
import { watchMaxDeliveries } from '../bus/watch-max-deliveries.js';
import type { Config } from '../config/load-config.js';
import type { Topology } from '../contracts/topology.js';
import type { Database } from '../effects/db/open-database.js';
import type { IngressPriority } from '../ingress/ingress-priority.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { probeWhileOpen } from '../operators/probe-while-open.js';

/** The actors' dependencies; the actor list takes the ones it passes on to each actor. */
export interface StartActorsOptions extends Omit<ActorListOptions, 'budgets' | 'fork' | 'breakers' | 'leases'> {
  config: Config;
  nats: NatsLink;
  js: JetStreamClient;
  jsm: JetStreamManager;
  database: Database;
  topology: Topology;
  definitions: StreamDefinitions;
  deadLetter: DeadLetterWriter;
  breakers: DependencyBreakers;
  logger: Logger;
  metrics: Metrics;
  /** Actors step back while the webhook endpoint is crowded. */
  ingressPriority: IngressPriority;
  /** Recorded as the owner of every task attempt this process runs. */
  instanceId: string;
}

/** The running actors and the watchers of their consumers, each to be stopped at shutdown. */
export interface StartedActors {
  actors: RunningActor[];
  watchers: Array<{ stop(): void }>;
}

/**
 * Starts every actor on its durables, with the call budgets from configuration, and the two
 * consumer watchers: pending messages per consumer (a metric) and messages JetStream stopped
 * offering after max_deliver (copied to the DLQ).
 */
/** A ping while the database breaker is open answers within this bound, or counts as no answer. */
const DATABASE_PROBE_MS = 1000;

export function startActors(options: StartActorsOptions): StartedActors {
  const { config, nats, js, jsm, database, topology, definitions, deadLetter, breakers, logger, metrics, ingressPriority } = options;
  // Attempts are leased to this process and renewed while it lives; see createAttemptLeaseKeeper.
  const leases = createAttemptLeaseKeeper({
    fork: () => database.orm.em.fork(),
    owner: options.instanceId,
    leaseMs: attemptLeaseMs(definitions.consumers),
    logger,
  });
  const list = createActorList({
    ...options,
    leases,
    fork: () => database.orm.em.fork(),
    budgets: {
      github: { limit: config.github.callsPerHour, windowMs: 3_600_000 },
      codegen: {
        create: { limit: config.codegen.createsPerMinute, windowMs: 60_000 },
        read: { limit: config.codegen.readsPer30s, windowMs: 30_000 },
      },
    },
  });
  const actors = list.map((definition) =>
    runActor(definition, {
      js,
      orm: database.orm,
      topology,
      logger,
      metrics,
      deadLetter,
      databaseBreaker: breakers.database,
      admitBatch: (batch) => ingressPriority.admit(batch),
      waitTurn: () => ingressPriority.waitTurn(),
    }),
  );
  // PostgreSQL back → work resumes within half a second, not after the rest of the breaker's cool-down.
  const databaseProbe = probeWhileOpen(breakers.database, { check: () => database.ping(DATABASE_PROBE_MS) });
  const watchers = [
    leases,
    { stop: () => databaseProbe.unsubscribe() },
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
  ];
  return { actors, watchers };
}
