import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../../observability/logger.js';
import { ensureDatabase } from './ensure-database.js';
import { createOrmConfig } from './orm-config.js';

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** `postgresql://user@host:port/database`; the database is created when missing. */
  url: string;
  logger: Logger;
  /** Log every query at debug level. Default false. */
  debug?: boolean;
  /** Connection pool size. Default 10. */
  poolMax?: number;
}

/** An open, migrated database. */
export interface Database {
  orm: MikroORM;
  /** Names of the migrations this open applied (empty when the schema was current). */
  applied: string[];
  /** Whether PostgreSQL answers a trivial query within `timeoutMs` (default 2000). Never throws. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

// Any constant shared by every instance: pg_advisory_lock takes a bigint key.
const MIGRATION_LOCK_KEY = 7_201_100_301;

/**
 * Creates the database if missing, connects, and runs pending migrations. Instances starting
 * together migrate one at a time (a PostgreSQL advisory lock), so the second finds nothing to do.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const log = options.logger.child({ component: 'database' });
  await ensureDatabase(options.url, log);
  const orm = await MikroORM.init(
    createOrmConfig({ url: options.url, logger: log, debug: options.debug, poolMax: options.poolMax }),
  );
  let applied: string[];
  try {
    applied = await migrateUnderLock(orm, options.url, log);
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  return {
    orm,
    applied,
    ping: (timeoutMs = 2000) => ping(orm, timeoutMs),
    close: () => orm.close(true),
  };
}

async function migrateUnderLock(orm: MikroORM, url: string, log: Logger): Promise<string[]> {
  // Session-level lock on a connection of its own: the migrator uses the ORM's pool.
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const migrations = await orm.getMigrator().up();
    const applied = migrations.map((migration) => migration.name);
    if (applied.length > 0) log.info({ migrations: applied }, 'migrations applied');
    else log.debug('schema is current');
    return applied;
  } finally {
    // Closing the session releases the lock even if the unlock query cannot run.
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}

async function ping(orm: MikroORM, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const query = orm.em
    .fork()
    .execute('select 1')
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
