import { expect } from 'chai';
import { analysePullRequest } from '../../../../src/actors/analysis/analyse-pull-request.js';
import { DEFAULT_RULES } from '../../../../src/config/rules-schema.js';
import type { PullRequestDetails } from '../../../../src/effects/github/queries/pull-request-query.js';

const HEAD = 'c'.repeat(40);
const details = (overrides: Partial<PullRequestDetails> = {}): PullRequestDetails => ({
  title: 'Add cache',
  body: '',
  isDraft: false,
  state: 'open',
  url: 'https://github.com/o/r/pull/3',
  headRefOid: HEAD,
  baseRefName: 'main',
  headRefName: 'cache',
  labels: [],
  files: [{ path: 'src/cache.ts', additions: 10, deletions: 2, changeType: 'modified' }],
  changedFiles: 1,
  additions: 10,
  deletions: 2,
  checks: { state: 'failure', contexts: [{ kind: 'check_run', name: 'unit', conclusion: 'failure', status: 'completed', detailsUrl: null }] },
  ...overrides,
});

describe('analysePullRequest', () => {
  const context = { rules: DEFAULT_RULES, number: 3, headSha: HEAD };

  it('records the change and its failing checks, and starts no review without the opt-in label', () => {
    const result = analysePullRequest(details(), context);
    expect(result.status).to.equal('succeeded');
    expect(result.trigger).to.equal(undefined);
    expect(result.findings).to.deep.include({ checks: { state: 'failure', failing: ['unit'] } });
    expect(result.reason).to.match(/reviews are opt-in with the label codegen:review/);
  });

  it('asks for a review run when the pull request carries the opt-in label', () => {
    const result = analysePullRequest(details({ labels: ['codegen:review'] }), context);
    expect(result.trigger).to.deep.equal({ purpose: 'review', pullRequestNumber: 3, headSha: HEAD });
  });

  it('skips an event whose head is no longer the pull request’s head', () => {
    const result = analysePullRequest(details({ headRefOid: 'd'.repeat(40), labels: ['codegen:review'] }), context);
    expect(result.status).to.equal('skipped');
    expect(result.trigger).to.equal(undefined);
  });

  it('never reviews a closed or opted-out pull request', () => {
    expect(analysePullRequest(details({ state: 'closed', labels: ['codegen:review'] }), context).trigger).to.equal(undefined);
    expect(analysePullRequest(details({ labels: ['codegen:review', 'codegen:skip'] }), context).trigger).to.equal(undefined);
  });
});
