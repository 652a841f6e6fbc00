import { expect } from 'chai';
import { isoTime } from '../../../src/api/iso-time.js';

describe('isoTime', () => {
  it('writes a Date as ISO-8601 UTC with milliseconds', () => {
    expect(isoTime(new Date(Date.UTC(2026, 10, 29, 9, 5, 1, 20)))).to.equal('2026-11-29T09:05:01.020Z');
  });

  it('rewrites a time already written as text, in another zone, in UTC', () => {
    expect(isoTime('2026-11-29T10:00:00+01:00')).to.equal('2026-11-29T09:00:00.000Z');
  });
});
