import { connectNats, type NatsLink } from '../bus/connect-nats.js';
import { openDatabase, type Database } from '../effects/db/open-database.js';
import { probePostgres } from '../effects/db/probe-postgres.js';
import type { Logger } from '../observability/logger.js';
import { redactUrl } from './redact-url.js';
import { retryUntilReachable } from './retry-until-reachable.js';

/** Options of {@link connectDependencies}. */
export interface ConnectDependenciesOptions {
  nats: { servers: readonly string[] };
  database: { url: string; poolMax: number };
  logger: Logger;
  /** Told what is still missing (`undefined` once a dependency is reached), for /health/ready. */
  onState(dependency: 'nats' | 'database', problem: string | undefined): void;
  /** Backoff bounds (tests); the defaults of `retryUntilReachable` otherwise. */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
}

const HOW_TO_START =
  'On this machine `bash scripts/ensure-services.sh` starts NATS (JetStream) and PostgreSQL; with Docker, `docker compose up -d nats postgres`';

/**
 * Reaches NATS and PostgreSQL at the same time, each retried with backoff and explained in the log
 * until it answers, then opens the database (creating and migrating it). When one of them fails
 * for good (a migration error), the other stops trying and whatever was opened is closed.
 */
export async function connectDependencies(options: ConnectDependenciesOptions): Promise<{ nats: NatsLink; database: Database }> {
  const { logger } = options;
  const controller = new AbortController();
  const natsLogger = logger.child({ component: 'nats' });
  const databaseLogger = logger.child({ component: 'database' });
  const natsTarget = options.nats.servers.map(redactUrl).join(', ');
  const databaseTarget = redactUrl(options.database.url);
  options.onState('nats', `connecting to NATS at ${natsTarget}`);
  options.onState('database', `connecting to PostgreSQL at ${databaseTarget}`);

  const natsReady = retryUntilReachable({
    dependency: 'NATS',
    target: natsTarget,
    attempt: () => connectNats({ servers: options.nats.servers, logger: natsLogger }),
    hint: `${HOW_TO_START}; or set NATS_URL to a server that runs with -js`,
    logger: natsLogger,
    onState: (problem) => options.onState('nats', problem),
    signal: controller.signal,
    ...options.retry,
  });
  const databaseReady = retryUntilReachable({
    dependency: 'PostgreSQL',
    target: databaseTarget,
    attempt: () => probePostgres(options.database.url),
    hint: `${HOW_TO_START}; or set DATABASE_URL`,
    logger: databaseLogger,
    onState: (problem) => options.onState('database', problem),
    signal: controller.signal,
    ...options.retry,
  }).then(() => openDatabase({ url: options.database.url, poolMax: options.database.poolMax, logger }));

  // The first to fail for good stops the other's retries, so neither waits forever.
  const stopOthers = (error: unknown) => {
    controller.abort(error);
    throw error;
  };
  const results = await Promise.allSettled([natsReady.catch(stopOthers), databaseReady.catch(stopOthers)]);
  const [natsResult, databaseResult] = results;
  if (natsResult.status === 'fulfilled' && databaseResult.status === 'fulfilled') {
    return { nats: natsResult.value, database: databaseResult.value };
  }
  if (natsResult.status === 'fulfilled') await natsResult.value.nc.close().catch(() => undefined);
  if (databaseResult.status === 'fulfilled') await databaseResult.value.close().catch(() => undefined);
  throw natsResult.status === 'rejected' ? natsResult.reason : (databaseResult as PromiseRejectedResult).reason;
}
