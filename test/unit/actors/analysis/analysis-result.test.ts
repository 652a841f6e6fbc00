import { expect } from 'chai';
import { fixRunResult, toPromptCheck } from '../../../../src/actors/analysis/analysis-result.js';
import { checkRunReport, HEAD_SHA } from '../../../fixtures/github-details.js';

describe('toPromptCheck', () => {
  it('keeps what a prompt quotes of a check run, annotations reduced to place, level and message', () => {
    expect(toPromptCheck(checkRunReport())).to.deep.equal({
      name: 'unit',
      conclusion: 'failure',
      summary: 'cache.test.ts failed',
      title: '1 test failed',
      text: null,
      details_url: 'https://github.com/o/r/runs/1',
      annotations: [{ path: 'src/cache.ts', startLine: 12, level: 'failure', message: 'expected 1 to equal 2' }],
    });
  });

  it('says unknown for a missing conclusion, leaves out a missing summary and reads a missing level as failure', () => {
    const base = checkRunReport();
    const check = toPromptCheck(
      checkRunReport({ conclusion: null, summary: null, annotations: [{ ...base.annotations[0]!, level: null }] }),
    );
    expect(check.conclusion).to.equal('unknown');
    expect(check.summary).to.equal(undefined);
    expect(check.annotations[0]!.level).to.equal('failure');
  });
});

describe('fixRunResult', () => {
  const findings = { head_sha: HEAD_SHA };

  it('asks for a fix run on the decided pull request and says why', () => {
    const result = fixRunResult('Check failed.', findings, { trigger: true, pullRequestNumber: 7, because: 'unit failed' }, HEAD_SHA);
    expect(result).to.deep.equal({
      status: 'succeeded',
      findings,
      reason: 'Check failed. A fix run was requested because unit failed.',
      trigger: { purpose: 'fix', pullRequestNumber: 7, headSha: HEAD_SHA },
    });
  });

  it('records a decision against a run as succeeded without a trigger', () => {
    const result = fixRunResult('Check failed.', findings, { trigger: false, stale: false, because: 'fix runs are disabled' }, HEAD_SHA);
    expect(result).to.deep.equal({ status: 'succeeded', findings, reason: 'Check failed. No fix run: fix runs are disabled.' });
  });

  it('skips a stale commit', () => {
    const result = fixRunResult('Check failed.', findings, { trigger: false, stale: true, because: 'the head moved' }, HEAD_SHA);
    expect(result).to.deep.include({ status: 'skipped', reason: 'Check failed. No fix run: the head moved.' });
    expect(result).to.not.have.property('trigger');
  });
});
