import { createLogger } from '../../observability/logger.js';
import { openDatabase } from './open-database.js';

/**
 * `npm run migrate`: creates the database named by DATABASE_URL when missing and applies pending
 * migrations, then exits. Running it again applies nothing.
 */
async function migrateCli(): Promise<void> {
  const url = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/orchestrator';
  const level = process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace' ? 'debug' : 'warn';
  const logger = createLogger({ name: 'migrate', level });
  const database = await openDatabase({ url, logger, poolMax: 2 });
  try {
    const where = new URL(url);
    const target = `${where.host}${where.pathname}`;
    if (database.applied.length === 0) console.log(`${target}: schema is current, nothing to apply`);
    else for (const name of database.applied) console.log(`${target}: applied ${name}`);
  } finally {
    await database.close();
  }
}

migrateCli().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
