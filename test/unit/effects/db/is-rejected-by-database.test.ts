import { expect } from 'chai';
import pg from 'pg';
import { databaseRefusal, isRejectedByDatabase } from '../../../../src/effects/db/is-rejected-by-database.js';
import { AppError } from '../../../../src/errors/app-error.js';
import { TEST_POSTGRES_SERVER } from '../../../helpers/test-database.js';

describe('isRejectedByDatabase', () => {
  let client: pg.Client;
  before(async () => {
    client = new pg.Client({ connectionString: `${TEST_POSTGRES_SERVER}/postgres` });
    await client.connect();
    await client.query('create temporary table rejected_probe (id int primary key, name text not null, size int check (size >= 0))');
    await client.query(`insert into rejected_probe values (1, 'one', 1)`);
  });
  after(() => client.end());

  /** What PostgreSQL answered to `sql`. */
  const refusalOf = (sql: string, params: unknown[] = []) =>
    client.query(sql, params).then(
      () => expect.fail(`expected PostgreSQL to refuse ${sql}`),
      (error: unknown) => error,
    );

  it('counts what PostgreSQL refuses because of the data: malformed values, not null, check, a NUL in text', async () => {
    const refusals = [
      await refusalOf(`select $1::jsonb`, ['{not json']),
      await refusalOf(`select $1::int`, ['99999999999']),
      await refusalOf(`insert into rejected_probe values (2, null, 1)`),
      await refusalOf(`insert into rejected_probe values (3, 'three', -1)`),
      await refusalOf(`select $1::text`, ['nul \u0000 inside']),
    ];
    expect(refusals.map((error) => (error as { code: string }).code)).to.deep.equal(['22P02', '22003', '23502', '23514', '22021']);
    for (const error of refusals) expect(isRejectedByDatabase(error), (error as Error).message).to.equal(true);
  });

  it('does not count a unique violation, which a concurrent writer can cause, nor a wrong query', async () => {
    expect(isRejectedByDatabase(await refusalOf(`insert into rejected_probe values (1, 'again', 1)`))).to.equal(false);
    expect(isRejectedByDatabase(await refusalOf(`select * from no_such_table_here`))).to.equal(false);
  });

  it('finds the code along the cause chain, and ignores errno codes and message text', () => {
    const rejected = Object.assign(new Error('bad'), { code: '22P02' });
    expect(isRejectedByDatabase(new AppError('dependency_failed', 'insert failed', { cause: rejected }))).to.equal(true);
    // The protocol violation some drivers get for a NUL in a text parameter.
    expect(isRejectedByDatabase(Object.assign(new Error('x'), { code: '08P01' }))).to.equal(true);
    expect(isRejectedByDatabase(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).to.equal(false);
    expect(isRejectedByDatabase(new Error('invalid input syntax for type json'))).to.equal(false);
  });
});

describe('databaseRefusal', () => {
  it('keeps the database’s own words, without the statement the driver prepends', () => {
    expect(databaseRefusal(new Error('insert into "tasks" ("input") values ($1) - invalid input syntax for type json'))).to.equal(
      'invalid input syntax for type json',
    );
    expect(databaseRefusal('x'.repeat(1000))).to.have.length(300);
  });
});
