import { expect } from 'chai';
import { everyMember } from '../../../../src/console/client/every-member.js';

type Status = 'queued' | 'failed';

describe('everyMember', () => {
  it('returns the list it is given (its check is at compile time)', () => {
    const statuses = everyMember<Status>()(['queued', 'failed'] as const);
    expect(statuses).to.deep.equal(['queued', 'failed']);
    // @ts-expect-error a list missing a member of the union does not compile
    everyMember<Status>()(['queued'] as const);
  });
});
