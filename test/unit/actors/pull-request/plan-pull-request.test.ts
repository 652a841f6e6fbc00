import { expect } from 'chai';
import { planPullRequest } from '../../../../src/actors/pull-request/plan-pull-request.js';
import { examplePayload } from '../../../fixtures/webhook-examples.js';
import { envelopeOf } from '../../../helpers/webhook-envelope.js';

type PullRequestPayload = Record<string, any>;

const withAction = (action: string): PullRequestPayload =>
  examplePayload('pull_request', (p: PullRequestPayload) => p.action === action && p.installation !== undefined);

describe('planPullRequest', () => {
  it('keeps what the analysis needs and the head to compare later events with', () => {
    const payload = withAction('opened');
    const pr = payload.pull_request;
    const [owner, repo] = payload.repository.full_name.split('/');
    expect(planPullRequest(envelopeOf('pull_request', payload))).to.deep.equal({
      kind: 'task',
      taskType: 'pull_request_analysis',
      repository: payload.repository.full_name,
      pullRequestNumber: pr.number,
      headSha: pr.head.sha,
      input: {
        owner,
        repo,
        number: pr.number,
        installation_id: payload.installation.id,
        labels: pr.labels.map((label: { name: string }) => label.name),
        head_ref: pr.head.ref,
        base_ref: pr.base.ref,
      },
      pullRequestHead: { number: pr.number, headSha: pr.head.sha, updatedAt: new Date(pr.updated_at) },
    });
  });

  it('analyses opened, synchronize, reopened and ready_for_review', () => {
    for (const action of ['opened', 'synchronize', 'reopened', 'ready_for_review']) {
      expect(planPullRequest(envelopeOf('pull_request', withAction(action))), action).to.deep.include({ kind: 'task' });
    }
  });

  it('records and ignores every other action', () => {
    for (const action of ['closed', 'labeled', 'assigned', 'converted_to_draft', 'review_requested']) {
      expect(planPullRequest(envelopeOf('pull_request', withAction(action)))).to.deep.equal({
        kind: 'ignore',
        reason: `action ${action} is not analysed`,
      });
    }
  });

  it('lets a draft wait until it is ready for review', () => {
    const draftOpened = withAction('opened');
    draftOpened.pull_request.draft = true;
    expect(planPullRequest(envelopeOf('pull_request', draftOpened))).to.deep.equal({
      kind: 'ignore',
      reason: 'draft pull requests are analysed once ready for review',
    });
    const draftReady = withAction('ready_for_review');
    draftReady.pull_request.draft = true;
    expect(planPullRequest(envelopeOf('pull_request', draftReady))).to.deep.include({ kind: 'task' });
  });

  it('has no installation id for a delivery made outside an app installation', () => {
    const payload = examplePayload('pull_request', (p) => p.action === 'opened' && p.installation === undefined);
    const plan = planPullRequest(envelopeOf('pull_request', payload));
    expect(plan.kind === 'task' && plan.input.installation_id).to.equal(null);
  });

  it('ignores a payload of another shape instead of throwing', () => {
    expect(planPullRequest(envelopeOf('pull_request', examplePayload('push')))).to.deep.equal({
      kind: 'ignore',
      reason: 'payload is not a pull request event',
    });
  });
});
