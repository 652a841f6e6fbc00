import { expect } from 'chai';
import { planDelivery } from '../../../src/actors/planned-delivery.js';
import { planPullRequest } from '../../../src/actors/pull-request/plan-pull-request.js';
import type { WebhookEnvelope } from '../../../src/contracts/webhook-envelope.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';

const envelopeOf = (payload: Record<string, any>, extra: Partial<WebhookEnvelope> = {}): WebhookEnvelope => ({
  deliveryId: 'd-1',
  event: 'pull_request',
  action: payload.action,
  payload,
  hookId: '7',
  targetType: 'repository',
  targetId: '9',
  receivedAt: new Date('2026-11-29T12:00:00Z'),
  streamSeq: 42,
  replayOf: undefined,
  ...extra,
});

describe('planDelivery', () => {
  it('keeps the plan and the delivery row of a real pull request event, and not its payload', () => {
    const payload = examplePayload('pull_request', (p) => p.action === 'opened') as Record<string, any>;
    const planned = planDelivery(envelopeOf(payload), planPullRequest);
    expect(planned.plan).to.deep.equal(planPullRequest(envelopeOf(payload)));
    expect(planned.plan.kind).to.equal('task');
    expect(planned.sighting).to.include({ deliveryId: 'd-1', eventType: 'pull_request', action: 'opened', repository: payload.repository.full_name, streamSeq: 42 });
    expect(planned).to.not.have.property('payload');
    // Nothing in what is kept points back at the payload object itself.
    expect(Object.values(planned)).to.not.include(payload);
  });

  it('carries a replay through, so grouping lets the replay lead', () => {
    const payload = examplePayload('pull_request', (p) => p.action === 'opened') as Record<string, any>;
    expect(planDelivery(envelopeOf(payload, { replayOf: 'd-0' }), planPullRequest)).to.include({ deliveryId: 'd-1', replayOf: 'd-0', event: 'pull_request' });
  });

  it('lets a planner that refuses the payload fail the decoding (the runner dead-letters that message alone)', () => {
    expect(() => planDelivery(envelopeOf({}), () => { throw new Error('not a pull request'); })).to.throw('not a pull request');
  });
});
