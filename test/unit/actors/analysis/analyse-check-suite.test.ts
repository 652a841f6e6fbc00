import { expect } from 'chai';
import { analyseCheckSuite } from '../../../../src/actors/analysis/analyse-check-suite.js';
import { DEFAULT_RULES } from '../../../../src/config/rules-schema.js';
import type { CheckSuiteDetails } from '../../../../src/effects/github/queries/check-suite-query.js';
import { associatedPullRequest, checkRunReport, HEAD_SHA } from '../../../fixtures/github-details.js';

const details = (overrides: Partial<CheckSuiteDetails> = {}): CheckSuiteDetails => ({
  conclusion: 'failure',
  status: 'completed',
  appName: 'GitHub Actions',
  headSha: HEAD_SHA,
  branch: 'changes',
  failedRuns: [checkRunReport({ name: 'unit' }), checkRunReport({ name: 'lint', annotations: [] })],
  pullRequests: [associatedPullRequest()],
  ...overrides,
});

describe('analyseCheckSuite', () => {
  it('names every failed run and asks for one fix run for those the rules allow', () => {
    const rules = { ...DEFAULT_RULES, ignoreChecks: ['lint'] };
    const result = analyseCheckSuite(details(), { rules });
    expect(result.trigger).to.deep.equal({ purpose: 'fix', pullRequestNumber: 7, headSha: HEAD_SHA });
    expect(result.reason).to.equal(
      'Check suite of GitHub Actions concluded failure on ec26c3e; failed: "unit", "lint". ' +
        'A fix run was requested because unit failed on the head of open pull request #7.',
    );
  });

  it('stores each failed run as a prompt check, with branch, head and pull requests', () => {
    const { findings } = analyseCheckSuite(details(), { rules: DEFAULT_RULES });
    expect((findings.checks as Array<{ name: string }>).map((check) => check.name)).to.deep.equal(['unit', 'lint']);
    expect(findings).to.deep.include({
      head_sha: HEAD_SHA,
      branch: 'changes',
      pull_requests: [{ number: 7, state: 'open', head_sha: HEAD_SHA }],
    });
  });

  it('reads the suite’s own branch for the branch rules', () => {
    const rules = { ...DEFAULT_RULES, ignoreBranches: ['changes'] };
    expect(analyseCheckSuite(details(), { rules }).trigger).to.equal(undefined);
    expect(analyseCheckSuite(details({ branch: 'other' }), { rules }).trigger).to.not.equal(undefined);
  });

  it('says so when no individual run failed, and starts nothing', () => {
    const result = analyseCheckSuite(details({ appName: null, conclusion: 'timed_out', failedRuns: [] }), { rules: DEFAULT_RULES });
    expect(result.reason).to.equal(
      'Check suite concluded timed_out on ec26c3e; failed: no individual run. No fix run: no failed check is one the rules send to Codegen.',
    );
    expect(result.status).to.equal('succeeded');
    expect(result).to.not.have.property('trigger');
  });

  it('skips a suite whose commit is no longer the head of its open pull request', () => {
    const result = analyseCheckSuite(details({ pullRequests: [associatedPullRequest({ headRefOid: 'b'.repeat(40) })] }), { rules: DEFAULT_RULES });
    expect(result.status).to.equal('skipped');
  });
});
