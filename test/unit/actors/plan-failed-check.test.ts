import { expect } from 'chai';
import { planFailedCheck, type CheckEvent, type FailedCheckRule } from '../../../src/actors/plan-failed-check.js';

const rule: FailedCheckRule = { failedConclusions: new Set(['failure', 'timed_out']), taskType: 'check_failure_analysis' };
const check = (overrides: Partial<CheckEvent> = {}): CheckEvent => ({
  action: 'completed',
  conclusion: 'failure',
  repository: 'octo/app',
  installationId: 7,
  headSha: 'a'.repeat(40),
  pullRequestNumbers: [12, 15],
  headBranch: 'fix-cache',
  identity: { node_id: 'CR_1', check_run_id: 1, check_name: 'unit' },
  ...overrides,
});

describe('planFailedCheck', () => {
  it('makes the rule\'s task for a completed check that failed, about its first pull request', () => {
    expect(planFailedCheck(check(), rule)).to.deep.equal({
      kind: 'task',
      taskType: 'check_failure_analysis',
      repository: 'octo/app',
      pullRequestNumber: 12,
      headSha: 'a'.repeat(40),
      input: {
        owner: 'octo',
        repo: 'app',
        installation_id: 7,
        node_id: 'CR_1',
        check_run_id: 1,
        check_name: 'unit',
        conclusion: 'failure',
        pull_request_numbers: [12, 15],
        head_branch: 'fix-cache',
      },
    });
  });

  it('takes every conclusion the rule names as a failure, and only those', () => {
    expect(planFailedCheck(check({ conclusion: 'timed_out' }), rule)).to.include({ kind: 'task' });
    expect(planFailedCheck(check({ conclusion: 'startup_failure' }), rule)).to.deep.equal({ kind: 'ignore', reason: 'conclusion startup_failure is not a failure' });
    expect(planFailedCheck(check({ conclusion: 'success' }), rule)).to.deep.equal({ kind: 'ignore', reason: 'conclusion success is not a failure' });
  });

  it('ignores a check without a conclusion and one that is not completed, saying why', () => {
    expect(planFailedCheck(check({ conclusion: null }), rule)).to.deep.equal({ kind: 'ignore', reason: 'conclusion none is not a failure' });
    expect(planFailedCheck(check({ action: 'rerequested' }), rule)).to.deep.equal({ kind: 'ignore', reason: 'action rerequested is not analysed' });
  });

  it('has no pull request for a check on a commit no pull request points at', () => {
    const plan = planFailedCheck(check({ pullRequestNumbers: [], installationId: null, headBranch: null }), rule);
    expect(plan).to.deep.include({ kind: 'task', pullRequestNumber: null });
    expect(plan.kind === 'task' && plan.input).to.deep.include({ pull_request_numbers: [], installation_id: null, head_branch: null });
  });
});
