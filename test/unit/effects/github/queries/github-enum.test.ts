import { expect } from 'chai';
import { githubEnum } from '../../../../../src/effects/github/queries/github-enum.js';

describe('githubEnum', () => {
  it('reads GraphQL enum values in the lower case webhook payloads use', () => {
    expect(githubEnum.parse('TIMED_OUT')).to.equal('timed_out');
    expect(githubEnum.parse('OPEN')).to.equal('open');
  });

  it('accepts values GitHub adds later instead of failing the analysis', () => {
    expect(githubEnum.parse('SOME_FUTURE_STATE')).to.equal('some_future_state');
  });

  it('refuses what is not a string', () => {
    expect(githubEnum.safeParse(null).success).to.equal(false);
  });
});
