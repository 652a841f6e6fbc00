import { expect } from 'chai';
import { planCheckRun } from '../../../src/actors/check-run/plan-check-run.js';
import { planInstallation } from '../../../src/actors/installation/plan-installation.js';
import { planPullRequest } from '../../../src/actors/pull-request/plan-pull-request.js';
import { planPush } from '../../../src/actors/push/plan-push.js';
import type { WebhookEnvelope } from '../../../src/contracts/webhook-envelope.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';

const envelope = (event: string, payload: Record<string, unknown>): WebhookEnvelope => ({
  deliveryId: 'd-1',
  event,
  action: typeof payload.action === 'string' ? payload.action : undefined,
  payload,
  hookId: undefined,
  targetType: undefined,
  targetId: undefined,
  receivedAt: new Date(),
  streamSeq: 1,
  replayOf: undefined,
});

describe('planners', () => {
  it('planPullRequest keeps what the analysis needs and the head to compare later events with', () => {
    const payload = examplePayload('pull_request', (p) => p.action === 'opened') as Record<string, any>;
    payload.pull_request.draft = false;
    const plan = planPullRequest(envelope('pull_request', payload));
    if (plan.kind !== 'task') throw new Error(plan.reason);
    expect(plan.taskType).to.equal('pull_request_analysis');
    expect(plan.repository).to.equal(payload.repository.full_name);
    expect(plan.pullRequestHead).to.deep.equal({ number: payload.pull_request.number, headSha: payload.pull_request.head.sha, updatedAt: new Date(payload.pull_request.updated_at) });
  });

  it('planCheckRun ignores a payload of another shape instead of throwing', () => {
    expect(planCheckRun(envelope('check_run', { action: 'completed' }))).to.deep.include({ kind: 'ignore' });
  });

  it('planPush falls back to main and master when the payload names no default branch', () => {
    const payload = examplePayload('push') as Record<string, any>;
    delete payload.repository.default_branch;
    payload.deleted = false;
    payload.after = 'e'.repeat(40);
    payload.ref = 'refs/heads/master';
    expect(planPush(envelope('push', payload)).kind).to.equal('task');
    payload.ref = 'refs/tags/v1.0.0';
    expect(planPush(envelope('push', payload)).kind).to.equal('ignore');
  });

  it('planInstallation turns repository changes into one atomic change', () => {
    const payload = examplePayload('installation_repositories', (p) => p.action === 'added') as Record<string, any>;
    const plan = planInstallation(envelope('installation_repositories', payload));
    expect(plan).to.deep.include({ kind: 'repositories', id: payload.installation.id });
    if (plan.kind === 'repositories') expect(plan.added).to.deep.equal(payload.repositories_added.map((r: { full_name: string }) => r.full_name));
  });
});
