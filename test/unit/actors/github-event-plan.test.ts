import { expect } from 'chai';
import { stringField } from '../../../src/actors/github-event-plan.js';

describe('stringField', () => {
  it('keeps a non-empty string', () => {
    expect(stringField('main')).to.equal('main');
  });

  it('reads an empty string, a number, null and a missing field as absent', () => {
    for (const value of ['', 42, null, undefined, { name: 'main' }]) expect(stringField(value)).to.equal(undefined);
  });
});
