import { expect } from 'chai';
import { planCheckRun } from '../../../../src/actors/check-run/plan-check-run.js';
import { examplePayload } from '../../../fixtures/webhook-examples.js';
import { envelopeOf } from '../../../helpers/webhook-envelope.js';

type CheckRunPayload = Record<string, any>;

const failedRun = (): CheckRunPayload =>
  examplePayload('check_run', (p: CheckRunPayload) => p.action === 'completed' && p.check_run.conclusion === 'failure');

describe('planCheckRun', () => {
  it('turns a failed completed check run into a check failure analysis carrying what the analysis reads', () => {
    const payload = failedRun();
    const run = payload.check_run;
    const plan = planCheckRun(envelopeOf('check_run', payload));
    expect(plan).to.deep.equal({
      kind: 'task',
      taskType: 'check_failure_analysis',
      repository: payload.repository.full_name,
      pullRequestNumber: run.pull_requests[0].number,
      headSha: run.head_sha,
      input: {
        owner: payload.repository.full_name.split('/')[0],
        repo: payload.repository.full_name.split('/')[1],
        installation_id: null,
        node_id: run.node_id,
        check_run_id: run.id,
        check_name: run.name,
        conclusion: 'failure',
        pull_request_numbers: run.pull_requests.map((pr: { number: number }) => pr.number),
        head_branch: run.check_suite.head_branch,
      },
    });
  });

  it('keeps the installation id when the delivery came through an app installation', () => {
    const payload = failedRun();
    payload.installation = { id: 4242, node_id: 'x' };
    const plan = planCheckRun(envelopeOf('check_run', payload));
    expect(plan.kind === 'task' && plan.input.installation_id).to.equal(4242);
  });

  it('treats timed_out and startup_failure as failures too', () => {
    for (const conclusion of ['timed_out', 'startup_failure']) {
      const payload = failedRun();
      payload.check_run.conclusion = conclusion;
      expect(planCheckRun(envelopeOf('check_run', payload))).to.deep.include({ kind: 'task', taskType: 'check_failure_analysis' });
    }
  });

  it('ignores a successful, cancelled or neutral run, saying which conclusion it saw', () => {
    const success = examplePayload('check_run', (p: CheckRunPayload) => p.action === 'completed' && p.check_run.conclusion === 'success');
    expect(planCheckRun(envelopeOf('check_run', success))).to.deep.equal({ kind: 'ignore', reason: 'conclusion success is not a failure' });
    const cancelled = failedRun();
    cancelled.check_run.conclusion = 'cancelled';
    expect(planCheckRun(envelopeOf('check_run', cancelled))).to.deep.equal({ kind: 'ignore', reason: 'conclusion cancelled is not a failure' });
  });

  it('ignores every action but completed, even one whose run carries a conclusion', () => {
    const created = examplePayload('check_run', (p) => p.action === 'created');
    expect(planCheckRun(envelopeOf('check_run', created))).to.deep.equal({ kind: 'ignore', reason: 'action created is not analysed' });
    const requested = examplePayload('check_run', (p) => p.action === 'requested_action') as CheckRunPayload;
    requested.check_run.conclusion = 'failure';
    expect(planCheckRun(envelopeOf('check_run', requested))).to.deep.equal({ kind: 'ignore', reason: 'action requested_action is not analysed' });
  });

  it('plans a run outside any pull request with no pull request number', () => {
    const payload = failedRun();
    payload.check_run.pull_requests = [];
    const plan = planCheckRun(envelopeOf('check_run', payload));
    expect(plan).to.deep.include({ kind: 'task', pullRequestNumber: null });
    expect(plan.kind === 'task' && plan.input.pull_request_numbers).to.deep.equal([]);
  });

  it('ignores a payload of another shape instead of throwing', () => {
    expect(planCheckRun(envelopeOf('check_run', { action: 'completed' }))).to.deep.equal({
      kind: 'ignore',
      reason: 'payload is not a check_run event',
    });
    expect(planCheckRun(envelopeOf('check_run', examplePayload('check_suite')))).to.deep.include({ kind: 'ignore' });
  });
});
