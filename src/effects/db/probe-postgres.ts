import pg from 'pg';

/**
 * Resolves once the PostgreSQL server of `url` accepts a connection (to its `postgres`
 * maintenance database, as the target database may not exist yet); rejects with the driver's
 * error (ECONNREFUSED, a timeout, an authentication failure) otherwise. Changes nothing.
 */
export async function probePostgres(url: string, timeoutMs = 3000): Promise<void> {
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: timeoutMs });
  // A server that goes away mid-probe emits 'error' on the client; the rejected connect reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } finally {
    await client.end().catch(() => undefined);
  }
}
