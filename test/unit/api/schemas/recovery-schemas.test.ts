import { expect } from 'chai';
import { recoveryListQuery, recoveryRunViewSchema, recoveryStartQuery } from '../../../../src/api/schemas/recovery-schemas.js';

describe('recoveryStartQuery', () => {
  it('takes an optional ISO-8601 since with a zone', () => {
    expect(recoveryStartQuery.parse({})).to.deep.equal({});
    expect(recoveryStartQuery.parse({ since: '2026-11-28T09:00:00Z' })).to.deep.equal({ since: '2026-11-28T09:00:00Z' });
    expect(recoveryStartQuery.safeParse({ since: '2026-11-28T09:00:00+02:00' }).success).to.equal(true);
  });

  it('refuses a since that is not a date-time, saying what it wants, and any other parameter', () => {
    const bad = recoveryStartQuery.safeParse({ since: '6h' });
    expect(bad.success).to.equal(false);
    expect(bad.error!.issues[0]!.message).to.equal('must be an ISO-8601 date-time such as 2026-11-28T09:00:00Z');
    expect(recoveryStartQuery.safeParse({ since: '2026-11-28' }).success).to.equal(false);
    expect(recoveryStartQuery.safeParse({ hook: 'app' }).success).to.equal(false);
  });
});

describe('recoveryListQuery', () => {
  it('takes only the page', () => {
    expect(recoveryListQuery.parse({ limit: '5' })).to.deep.equal({ limit: 5, offset: 0 });
    expect(recoveryListQuery.safeParse({ status: 'failed' }).success).to.equal(false);
  });
});

describe('recoveryRunViewSchema', () => {
  it('refuses a run whose trigger or status it does not know', () => {
    const shape = recoveryRunViewSchema.shape;
    expect(shape.trigger.safeParse('manual').success && shape.trigger.safeParse('schedule').success).to.equal(true);
    expect(shape.trigger.safeParse('cosmic-ray').success).to.equal(false);
    expect(shape.status.safeParse('exploded').success).to.equal(false);
    expect(shape.id.safeParse('not-a-uuid').success).to.equal(false);
  });
});
