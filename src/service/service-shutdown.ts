import type { Server } from 'node:http';
import type { NatsLink } from '../bus/connect-nats.js';
import type { Database } from '../effects/db/open-database.js';
import type { ShutdownGate } from '../ingress/shutdown-gate.js';
import type { Logger } from '../observability/logger.js';

/** What the shutdown stops, in the order it stops them. */
export interface ServiceShutdownOptions {
  server: Server;
  shutdownGate: ShutdownGate;
  /** Each stops pulling, finishes the messages in hand within the time given, and settles them. */
  actors: ReadonlyArray<{ stop(timeoutMs: number): Promise<void> }>;
  /** Stopped once requests and actors are done: background jobs, watchers, breaker timers. */
  background: ReadonlyArray<() => void | Promise<void>>;
  nats: NatsLink;
  database: Database;
  logger: Logger;
  /** The whole budget (SHUTDOWN_TIMEOUT_MS); one second of it is kept for draining and closing. */
  timeoutMs: number;
}

/**
 * The graceful stop, idempotent (a second call returns the first's promise): refuse new requests,
 * let the ones in flight and the actors' messages finish within the budget, then stop background
 * work, drain NATS and close the database, in that order, so nothing in flight loses a connection.
 */
export function createServiceShutdown(options: ServiceShutdownOptions): () => Promise<void> {
  const { server, logger } = options;
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= (async () => {
      const deadline = Date.now() + options.timeoutMs;
      const remaining = () => Math.max(0, deadline - Date.now() - 1000);
      logger.info('shutting down: no new requests');
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const stopActors = Promise.all(options.actors.map((actor) => actor.stop(remaining())));
      const gate = await options.shutdownGate.close(remaining());
      if (!gate.drained) logger.warn({ remaining: gate.remaining }, 'in-flight requests did not finish in time');
      server.closeAllConnections();
      await serverClosed;
      await stopActors;
      for (const stop of options.background) await stop();
      await options.nats.nc.drain().catch((error: unknown) => logger.warn({ err: error }, 'NATS drain failed'));
      await options.database.close().catch((error: unknown) => logger.warn({ err: error }, 'database close failed'));
      logger.info('shut down');
    })());
}
