import { expect } from 'chai';
import { planPush } from '../../../../src/actors/push/plan-push.js';
import { examplePayload } from '../../../fixtures/webhook-examples.js';
import { envelopeOf } from '../../../helpers/webhook-envelope.js';

type PushPayload = Record<string, any>;

const branchPush = (): PushPayload => examplePayload('push', (p: PushPayload) => p.ref === 'refs/heads/master' && !p.deleted);

describe('planPush', () => {
  it('turns a push to the default branch into a push analysis naming its commits', () => {
    const payload = branchPush();
    const [owner, repo] = payload.repository.full_name.split('/');
    expect(planPush(envelopeOf('push', payload))).to.deep.equal({
      kind: 'task',
      taskType: 'push_analysis',
      repository: payload.repository.full_name,
      pullRequestNumber: null,
      headSha: payload.after,
      input: {
        owner,
        repo,
        installation_id: payload.installation.id,
        ref: 'refs/heads/master',
        // GitHub's example creates the branch: `before` is the zero SHA, so there is no earlier head.
        before: null,
        commit_ids: payload.commits.map((commit: { id: string }) => commit.id),
      },
    });
  });

  it('passes the head the branch had before, so the analysis reads only the pushed commits', () => {
    const payload = branchPush();
    payload.before = 'b'.repeat(40);
    const plan = planPush(envelopeOf('push', payload));
    expect(plan.kind === 'task' && plan.input.before).to.equal('b'.repeat(40));
  });

  it('ignores pushes to other branches and to tags', () => {
    const feature = branchPush();
    feature.ref = 'refs/heads/feature';
    expect(planPush(envelopeOf('push', feature))).to.deep.equal({ kind: 'ignore', reason: 'refs/heads/feature is not the default branch' });
    const tag = examplePayload('push', (p) => p.ref === 'refs/tags/simple-tag' && p.deleted === false);
    expect(planPush(envelopeOf('push', tag))).to.deep.equal({ kind: 'ignore', reason: 'refs/tags/simple-tag is not the default branch' });
  });

  it('ignores a deletion, flagged or written as the zero SHA', () => {
    const deleted = examplePayload('push', (p) => p.deleted === true);
    expect(planPush(envelopeOf('push', deleted))).to.deep.include({ kind: 'ignore', reason: `${String(deleted.ref)} was deleted` });
    const zero = branchPush();
    zero.after = '0'.repeat(40);
    expect(planPush(envelopeOf('push', zero))).to.deep.equal({ kind: 'ignore', reason: 'refs/heads/master was deleted' });
  });

  it('falls back to main and master when the payload names no default branch', () => {
    const payload = branchPush();
    delete payload.repository.default_branch;
    expect(planPush(envelopeOf('push', payload)).kind).to.equal('task');
    payload.ref = 'refs/heads/main';
    expect(planPush(envelopeOf('push', payload)).kind).to.equal('task');
    payload.ref = 'refs/heads/develop';
    expect(planPush(envelopeOf('push', payload)).kind).to.equal('ignore');
  });

  it('follows a default branch other than main or master', () => {
    const payload = branchPush();
    payload.repository.default_branch = 'trunk';
    expect(planPush(envelopeOf('push', payload)).kind).to.equal('ignore');
    payload.ref = 'refs/heads/trunk';
    expect(planPush(envelopeOf('push', payload)).kind).to.equal('task');
  });

  it('ignores a payload of another shape instead of throwing', () => {
    expect(planPush(envelopeOf('push', examplePayload('pull_request')))).to.deep.equal({ kind: 'ignore', reason: 'payload is not a push event' });
  });
});
