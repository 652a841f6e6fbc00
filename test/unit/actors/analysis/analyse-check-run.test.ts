import { expect } from 'chai';
import { analyseCheckRun } from '../../../../src/actors/analysis/analyse-check-run.js';
import { toPromptCheck } from '../../../../src/actors/analysis/analysis-result.js';
import { DEFAULT_RULES } from '../../../../src/config/rules-schema.js';
import type { CheckRunDetails } from '../../../../src/effects/github/queries/check-run-query.js';
import { associatedPullRequest, checkRunReport, HEAD_SHA } from '../../../fixtures/github-details.js';

const details = (overrides: Partial<CheckRunDetails> = {}): CheckRunDetails => ({
  ...checkRunReport(),
  appName: 'GitHub Actions',
  headSha: HEAD_SHA,
  pullRequests: [associatedPullRequest()],
  ...overrides,
});

describe('analyseCheckRun', () => {
  const context = { rules: DEFAULT_RULES, branch: 'changes' };

  it('asks for a fix run when the failed check is on the head of an open pull request', () => {
    const result = analyseCheckRun(details(), context);
    expect(result.status).to.equal('succeeded');
    expect(result.trigger).to.deep.equal({ purpose: 'fix', pullRequestNumber: 7, headSha: HEAD_SHA });
    expect(result.reason).to.equal(
      'Check "unit" (GitHub Actions) concluded failure on ec26c3e with 1 annotation(s), first at src/cache.ts:12. ' +
        'A fix run was requested because unit failed on the head of open pull request #7.',
    );
  });

  it('stores the check as a prompt check, with the head and the pull requests found', () => {
    const { findings } = analyseCheckRun(details(), context);
    expect(findings).to.deep.equal({
      checks: [toPromptCheck(checkRunReport())],
      head_sha: HEAD_SHA,
      pull_requests: [{ number: 7, state: 'open', head_sha: HEAD_SHA }],
    });
  });

  it('describes a run without app, conclusion or annotations plainly', () => {
    const result = analyseCheckRun(details({ appName: null, conclusion: null, annotations: [], pullRequests: [] }), context);
    expect(result.reason).to.equal(
      'Check "unit" concluded unknown on ec26c3e. No fix run: no open pull request has this commit as its head.',
    );
    expect(result.trigger).to.equal(undefined);
  });

  it('skips a run on a commit its pull request has moved past', () => {
    const result = analyseCheckRun(details({ pullRequests: [associatedPullRequest({ headRefOid: 'b'.repeat(40) })] }), context);
    expect(result.status).to.equal('skipped');
    expect(result.trigger).to.equal(undefined);
  });

  it('applies the branch rules to the branch it is given', () => {
    const rules = { ...DEFAULT_RULES, ignoreBranches: ['chan*'] };
    const result = analyseCheckRun(details(), { rules, branch: 'changes' });
    expect(result.trigger).to.equal(undefined);
    expect(result.reason).to.match(/No fix run: branch changes is ignored by the rules\.$/);
  });
});
