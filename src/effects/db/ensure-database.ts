import pg from 'pg';
import type { Logger } from '../../observability/logger.js';

// 42P04 when the other creator committed first; 23505 (on pg_database's name index) when both
// were inside CREATE DATABASE at the same moment.
const CONCURRENTLY_CREATED = new Set(['42P04', '23505']);

/**
 * Creates the database named in `url` when it does not exist, through the `postgres` maintenance
 * database of the same server. Another instance creating it at the same moment is fine.
 * Returns whether this call created it.
 */
export async function ensureDatabase(url: string, logger: Logger): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (name === '') throw new Error('the database URL names no database');
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount !== 0) return false;
    try {
      await client.query(`create database ${client.escapeIdentifier(name)}`);
    } catch (error) {
      if (CONCURRENTLY_CREATED.has((error as { code?: string }).code ?? '')) return false;
      throw error;
    }
    logger.info({ database: name }, 'database created');
    return true;
  } finally {
    await client.end();
  }
}
