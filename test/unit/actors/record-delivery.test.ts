import { expect } from 'chai';
import { deliverySighting } from '../../../src/actors/record-delivery.js';
import { envelopeOf } from '../../helpers/webhook-envelope.js';

describe('deliverySighting', () => {
  it('keeps the delivery, its event and action, and where it came from', () => {
    const envelope = {
      ...envelopeOf('pull_request', { action: 'opened', repository: { full_name: 'octo/app' }, installation: { id: 77 } }),
      hookId: '123',
      targetType: 'repository',
      streamSeq: 9,
    };
    expect(deliverySighting(envelope)).to.deep.equal({
      deliveryId: 'd-1',
      eventType: 'pull_request',
      action: 'opened',
      repository: 'octo/app',
      installationId: 77,
      hookId: '123',
      targetType: 'repository',
      streamSeq: 9,
      receivedAt: new Date('2026-11-29T00:00:00Z'),
    });
  });

  it('records null for what the delivery does not say (a ping has no action, repository or installation)', () => {
    expect(deliverySighting(envelopeOf('ping', { zen: 'Keep it logically awesome.' }))).to.deep.include({
      action: null,
      repository: null,
      installationId: null,
      hookId: null,
      targetType: null,
    });
  });
});
