import { expect } from 'chai';
import { deadLetterIdParam, deadLetterListQuery, deadLetterPathParams } from '../../../../src/api/schemas/dead-letter-schemas.js';

describe('deadLetterIdParam', () => {
  it('accepts a DLQ stream sequence: a positive whole number as written', () => {
    expect(deadLetterIdParam.safeParse('42').success).to.equal(true);
    for (const bad of ['0', '042', '-1', '1.5', 'x', '1'.repeat(17)]) expect(deadLetterIdParam.safeParse(bad).success, bad).to.equal(false);
  });
});

describe('deadLetterPathParams', () => {
  it('takes the id and nothing else', () => {
    expect(deadLetterPathParams.safeParse({ id: '7' }).success).to.equal(true);
    expect(deadLetterPathParams.safeParse({ id: '7', stream: 'DLQ' }).success).to.equal(false);
  });
});

describe('deadLetterListQuery', () => {
  it('takes only the page', () => {
    expect(deadLetterListQuery.parse({ offset: '10' })).to.deep.equal({ limit: 50, offset: 10 });
    expect(deadLetterListQuery.safeParse({ consumer: 'x' }).success).to.equal(false);
  });
});
