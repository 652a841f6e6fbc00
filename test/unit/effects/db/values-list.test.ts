import { expect } from 'chai';
import pg from 'pg';
import { valuesList } from '../../../../src/effects/db/values-list.js';
import { TEST_POSTGRES_SERVER } from '../../../helpers/test-database.js';

describe('valuesList', () => {
  it('writes one typed placeholder per value and the parameters row by row', () => {
    expect(valuesList(['text', 'bigint'], [['a', 1], ['b', null]])).to.deep.equal({
      sql: '(?::text, ?::bigint), (?::text, ?::bigint)',
      params: ['a', 1, 'b', null],
    });
  });

  it('refuses an empty list and a row of the wrong width', () => {
    expect(() => valuesList(['text'], [])).to.throw(RangeError, 'at least one row');
    expect(() => valuesList(['text', 'int'], [['a', 1], ['b']])).to.throw(RangeError, 'a row has 1 values for 2 columns');
  });

  it('is a values list PostgreSQL reads with nulls typed', async () => {
    const { sql, params } = valuesList(['text', 'bigint'], [[null, 9_007_199_254_740], ['b', null]]);
    let n = 0;
    const numbered = sql.replace(/\?/g, () => `$${(n += 1)}`);
    const client = new pg.Client({ connectionString: `${TEST_POSTGRES_SERVER}/postgres` });
    await client.connect();
    try {
      const { rows } = await client.query(`select * from (values ${numbered}) as v(name, size)`, params);
      expect(rows).to.deep.equal([
        { name: null, size: '9007199254740' },
        { name: 'b', size: null },
      ]);
    } finally {
      await client.end();
    }
  });
});
