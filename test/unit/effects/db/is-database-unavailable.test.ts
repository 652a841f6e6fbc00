import { expect } from 'chai';
import { ConnectionException } from '@mikro-orm/core';
import pg from 'pg';
import { AppError } from '../../../../src/errors/app-error.js';
import { isDatabaseUnavailable } from '../../../../src/effects/db/is-database-unavailable.js';
import { TEST_POSTGRES_SERVER } from '../../../helpers/test-database.js';
import { freePort } from '../../../helpers/tcp.js';

/** What a query or a connection attempt actually threw. */
async function thrownBy(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to fail');
}

describe('isDatabaseUnavailable', () => {
  it('counts a refused connection, as pg reports it', async () => {
    const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${await freePort()}/postgres` });
    const error = await thrownBy(() => client.connect());
    expect(isDatabaseUnavailable(error)).to.equal(true);
  });

  it('does not count an error in the query itself, as PostgreSQL reports it', async () => {
    const client = new pg.Client({ connectionString: `${TEST_POSTGRES_SERVER}/postgres` });
    await client.connect();
    try {
      const error = await thrownBy(() => client.query('select * from no_such_table_here'));
      expect((error as { code?: string }).code).to.equal('42P01');
      expect(isDatabaseUnavailable(error)).to.equal(false);
    } finally {
      await client.end();
    }
  });

  it('counts MikroORM’s connection exception', () => {
    expect(isDatabaseUnavailable(new ConnectionException(new Error('connect ECONNREFUSED')))).to.equal(true);
  });

  it('counts SQLSTATEs for lost connections, exhausted resources and an administrator shutdown', () => {
    for (const code of ['08006', '53300', '57P01', '57P03']) {
      expect(isDatabaseUnavailable(Object.assign(new Error('server says no'), { code })), code).to.equal(true);
    }
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { sqlState: '08001' }))).to.equal(true);
    // 08P01 is the server refusing what was sent (a NUL in text): the data's fault, not an outage.
    for (const code of ['23505', '57014', '42601', '08P01']) {
      expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code })), code).to.equal(false);
    }
  });

  it('counts a pool that gave up waiting for a connection', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('Knex: Timeout acquiring a connection'), { name: 'KnexTimeoutError' }))).to.equal(true);
  });

  it('finds the reason along the cause chain, but only a few links deep', () => {
    const refused = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(new AppError('dependency_failed', 'store failed', { cause: refused }))).to.equal(true);
    let deep: unknown = refused;
    for (let i = 0; i < 5; i += 1) deep = new Error(`wrap ${i}`, { cause: deep });
    expect(isDatabaseUnavailable(deep)).to.equal(false);
  });

  it('never reads the message text', () => {
    expect(isDatabaseUnavailable(new Error('ECONNREFUSED: connection refused, database unavailable'))).to.equal(false);
    expect(isDatabaseUnavailable(undefined)).to.equal(false);
  });
});
