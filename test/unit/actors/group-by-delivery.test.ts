import { expect } from 'chai';
import type { BatchItem } from '../../../src/actors/actor-definition.js';
import { groupByDelivery } from '../../../src/actors/group-by-delivery.js';
import type { WebhookEnvelope } from '../../../src/contracts/webhook-envelope.js';
import { envelopeOf } from '../../helpers/webhook-envelope.js';

const item = (deliveryId: string, replayOf?: string): BatchItem<WebhookEnvelope> =>
  ({ input: { ...envelopeOf('push', {}), deliveryId, replayOf } }) as unknown as BatchItem<WebhookEnvelope>;

describe('groupByDelivery', () => {
  it('groups a batch by delivery in first-seen order, the first message leading and the rest its repeats', () => {
    const groups = groupByDelivery([item('a'), item('b'), item('a'), item('a')]);
    expect(groups.map(({ index, count, repeats, envelope }) => ({ id: envelope.deliveryId, index, count, repeats }))).to.deep.equal([
      { id: 'a', index: 0, count: 3, repeats: [2, 3] },
      { id: 'b', index: 1, count: 1, repeats: [] },
    ]);
  });

  it('lets a replay lead the plain message it sits beside, so its retry of failed work is kept', () => {
    const [group] = groupByDelivery([item('a'), item('a', 'op-1')]);
    expect(group).to.deep.include({ index: 1, count: 2, repeats: [0] });
    expect(group!.envelope.replayOf).to.equal('op-1');
  });

  it('keeps the first replay leading when a second replay follows', () => {
    const [group] = groupByDelivery([item('a', 'op-1'), item('a', 'op-2')]);
    expect(group).to.deep.include({ index: 0, repeats: [1] });
    expect(group!.envelope.replayOf).to.equal('op-1');
  });

  it('makes no group of an empty batch', () => {
    expect(groupByDelivery([])).to.deep.equal([]);
  });
});
