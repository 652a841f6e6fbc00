import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { isUuid } from '../../../../src/effects/db/is-uuid.js';

describe('isUuid', () => {
  it('accepts UUIDs in either case', () => {
    const id = randomUUID();
    expect(isUuid(id)).to.equal(true);
    expect(isUuid(id.toUpperCase())).to.equal(true);
  });

  it('refuses anything PostgreSQL would not read as a uuid column value', () => {
    for (const bad of ['', 'not-a-uuid', `${randomUUID()}x`, randomUUID().replaceAll('-', ''), `{${randomUUID()}}`, '123']) {
      expect(isUuid(bad), bad).to.equal(false);
    }
  });
});
