import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { openDatabase, type Database } from '../../src/effects/db/open-database.js';

/** The PostgreSQL server the tests use (DATABASE_URL's default, minus the database name). */
export const TEST_POSTGRES_SERVER = 'postgresql://postgres@127.0.0.1:5432';

/** A database name no other test run uses. */
export function uniqueDatabaseName(prefix = 'orch_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A logger that writes nowhere, for tests that do not assert on logs. */
export function silentLogger(): Logger {
  return createLogger({ level: 'fatal', output: { write: () => true } });
}

/** The URL of `name` on the test server; the database is not created. */
export function testDatabaseUrl(name: string): string {
  return `${TEST_POSTGRES_SERVER}/${name}`;
}

/** Drops `name` on the test server, disconnecting whoever still uses it. */
export async function dropTestDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${TEST_POSTGRES_SERVER}/postgres` });
  await client.connect();
  try {
    // WITH (FORCE) terminates remaining connections first (PostgreSQL 13+).
    await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
  } finally {
    await client.end();
  }
}

/** A migrated database of one test file's own. */
export interface TestDatabase {
  name: string;
  url: string;
  orm: MikroORM;
  database: Database;
  /** Closes the ORM and drops the database. */
  close(): Promise<void>;
}

/** A freshly created, fully migrated database of this test's own, dropped by `close()`. */
export async function createTestDatabase(options: { logger?: Logger } = {}): Promise<TestDatabase> {
  const name = uniqueDatabaseName();
  const url = testDatabaseUrl(name);
  let database: Database;
  try {
    database = await openDatabase({ url, logger: options.logger ?? silentLogger(), poolMax: 8 });
  } catch (error) {
    await dropTestDatabase(name);
    throw error;
  }
  return {
    name,
    url,
    orm: database.orm,
    database,
    async close() {
      try {
        await database.close();
      } finally {
        await dropTestDatabase(name);
      }
    },
  };
}

/**
 * Registers the mocha hooks of a test file that needs a database of its own: created and
 * migrated before its tests (hooks registered after this one may seed it), dropped after them.
 */
export function useTestDatabase(): () => TestDatabase {
  let db: TestDatabase | undefined;
  before(async function () {
    this.timeout(30_000);
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.close();
  });
  return () => db!;
}
