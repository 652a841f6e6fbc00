import { expect } from 'chai';
import { planCheckSuite } from '../../../../src/actors/check-suite/plan-check-suite.js';
import { examplePayload } from '../../../fixtures/webhook-examples.js';
import { envelopeOf } from '../../../helpers/webhook-envelope.js';

type CheckSuitePayload = Record<string, any>;

/** GitHub's examples hold no failed suite: a real completed one, concluded as `conclusion`. */
const completedSuite = (conclusion: string | null): CheckSuitePayload => {
  const payload: CheckSuitePayload = examplePayload(
    'check_suite',
    (p: CheckSuitePayload) => p.action === 'completed' && p.check_suite.pull_requests.length > 0,
  );
  payload.check_suite.conclusion = conclusion;
  return payload;
};

describe('planCheckSuite', () => {
  it('turns a failed completed suite into a check suite failure analysis carrying what the analysis reads', () => {
    const payload = completedSuite('failure');
    const suite = payload.check_suite;
    const [owner, repo] = payload.repository.full_name.split('/');
    expect(planCheckSuite(envelopeOf('check_suite', payload))).to.deep.equal({
      kind: 'task',
      taskType: 'check_suite_failure_analysis',
      repository: payload.repository.full_name,
      pullRequestNumber: suite.pull_requests[0].number,
      headSha: suite.head_sha,
      input: {
        owner,
        repo,
        installation_id: null,
        node_id: suite.node_id,
        check_suite_id: suite.id,
        conclusion: 'failure',
        pull_request_numbers: suite.pull_requests.map((pr: { number: number }) => pr.number),
        head_branch: suite.head_branch,
      },
    });
  });

  it('treats timed_out as a failure, but not startup_failure, which belongs to runs', () => {
    expect(planCheckSuite(envelopeOf('check_suite', completedSuite('timed_out')))).to.deep.include({ kind: 'task' });
    expect(planCheckSuite(envelopeOf('check_suite', completedSuite('startup_failure')))).to.deep.equal({
      kind: 'ignore',
      reason: 'conclusion startup_failure is not a failure',
    });
  });

  it('ignores a successful suite and one without a conclusion', () => {
    const success = examplePayload('check_suite', (p: CheckSuitePayload) => p.action === 'completed');
    expect(planCheckSuite(envelopeOf('check_suite', success))).to.deep.equal({ kind: 'ignore', reason: 'conclusion success is not a failure' });
    expect(planCheckSuite(envelopeOf('check_suite', completedSuite(null)))).to.deep.equal({ kind: 'ignore', reason: 'conclusion none is not a failure' });
  });

  it('ignores requested and rerequested suites whatever their conclusion', () => {
    const rerequested = examplePayload('check_suite', (p) => p.action === 'rerequested') as CheckSuitePayload;
    rerequested.check_suite.conclusion = 'failure';
    expect(planCheckSuite(envelopeOf('check_suite', rerequested))).to.deep.equal({ kind: 'ignore', reason: 'action rerequested is not analysed' });
  });

  it('plans a suite outside any pull request with no pull request number', () => {
    const payload = completedSuite('failure');
    payload.check_suite.pull_requests = [];
    expect(planCheckSuite(envelopeOf('check_suite', payload))).to.deep.include({ kind: 'task', pullRequestNumber: null });
  });

  it('ignores a payload of another shape instead of throwing', () => {
    expect(planCheckSuite(envelopeOf('check_suite', examplePayload('check_run')))).to.deep.equal({
      kind: 'ignore',
      reason: 'payload is not a check_suite event',
    });
  });
});
