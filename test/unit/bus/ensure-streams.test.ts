import { expect } from 'chai';
import { differingKeys } from '../../../src/bus/ensure-streams.js';

// ensureStreams itself runs against NATS in test/integration/bus/ensure-streams.test.ts.
describe('differingKeys', () => {
  it('names the desired settings the server holds differently', () => {
    expect(differingKeys({ max_age: 60, replicas: 1, subjects: ['a.>'] }, { max_age: 30, replicas: 1, subjects: ['b.>'] })).to.deep.equal([
      'max_age',
      'subjects',
    ]);
  });

  it('ignores settings the server adds and desired settings left undefined', () => {
    expect(differingKeys({ max_age: 60, filter_subject: undefined }, { max_age: 60, filter_subject: 'x', num_replicas: 3 })).to.deep.equal([]);
  });

  it('treats an empty string, false and null as the server omitting the setting', () => {
    expect(differingKeys({ description: '', deny_delete: false, sealed: null }, {})).to.deep.equal([]);
    expect(differingKeys({ deny_delete: true }, {})).to.deep.equal(['deny_delete']);
  });

  it('compares lists in order and objects by value', () => {
    expect(differingKeys({ subjects: ['a', 'b'] }, { subjects: ['b', 'a'] })).to.deep.equal(['subjects']);
    expect(differingKeys({ placement: { cluster: 'c1' } }, { placement: { cluster: 'c1' } })).to.deep.equal([]);
  });
});
