import { expect } from 'chai';
import { openPullRequestAt } from '../../../../src/actors/analysis/open-pull-request-at.js';
import { associatedPullRequest, HEAD_SHA } from '../../../fixtures/github-details.js';

describe('openPullRequestAt', () => {
  it('finds the open pull request whose head is the commit', () => {
    const live = associatedPullRequest({ number: 9 });
    expect(openPullRequestAt([associatedPullRequest({ number: 8, state: 'closed' }), live], HEAD_SHA)).to.equal(live);
  });

  it('finds none when the commit is only the head of closed pull requests or no longer a head at all', () => {
    expect(openPullRequestAt([associatedPullRequest({ state: 'merged' })], HEAD_SHA)).to.equal(undefined);
    expect(openPullRequestAt([associatedPullRequest({ headRefOid: 'f'.repeat(40) })], HEAD_SHA)).to.equal(undefined);
    expect(openPullRequestAt([], HEAD_SHA)).to.equal(undefined);
  });
});
