import { expect } from 'chai';
import pg from 'pg';
import { ensureDatabase } from '../../../../src/effects/db/ensure-database.js';
import { captureLogger } from '../../../helpers/capture-logger.js';
import { dropTestDatabase, testDatabaseUrl, TEST_POSTGRES_SERVER, uniqueDatabaseName } from '../../../helpers/test-database.js';

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: `${TEST_POSTGRES_SERVER}/postgres` });
  await client.connect();
  try {
    return (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('ensureDatabase', function () {
  this.timeout(30_000);
  const created: string[] = [];
  after(async () => {
    for (const name of created) await dropTestDatabase(name);
  });

  it('creates a missing database once, logging it, and leaves an existing one alone', async () => {
    const name = uniqueDatabaseName();
    created.push(name);
    const captured = captureLogger();
    expect(await ensureDatabase(testDatabaseUrl(name), captured.logger)).to.equal(true);
    expect(await databaseExists(name)).to.equal(true);
    expect(await ensureDatabase(testDatabaseUrl(name), captured.logger)).to.equal(false);
    expect(captured.records().map((line) => [line.msg, line.database])).to.deep.equal([['database created', name]]);
  });

  it('lets two instances starting together both succeed, one of them creating it', async () => {
    const name = uniqueDatabaseName();
    created.push(name);
    const { logger } = captureLogger();
    const results = await Promise.all([ensureDatabase(testDatabaseUrl(name), logger), ensureDatabase(testDatabaseUrl(name), logger)]);
    expect(results.filter(Boolean)).to.have.length(1);
  });

  it('refuses a URL that names no database', async () => {
    const error = await ensureDatabase(`${TEST_POSTGRES_SERVER}/`, captureLogger().logger).then(() => undefined, (thrown: unknown) => thrown);
    expect((error as Error).message).to.equal('the database URL names no database');
  });
});
