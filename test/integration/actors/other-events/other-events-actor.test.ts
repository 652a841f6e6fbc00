import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createOtherEventsActor } from '../../../../src/actors/other-events/other-events-actor.js';
import { getDelivery } from '../../../../src/effects/db/delivery-store.js';
import { examplePayload } from '../../../fixtures/webhook-examples.js';
import { useActorBatch } from '../../../helpers/actor-batch.js';
import { envelopeOf } from '../../../helpers/webhook-envelope.js';

describe('createOtherEventsActor', function () {
  this.timeout(30_000);
  const harness = useActorBatch();

  const actor = () =>
    createOtherEventsActor({ payloadStore: harness.scratch().payloadStore, handledElsewhere: new Set(['pull_request', 'push']), readStored: async () => new Uint8Array() });
  const item = (event: string, payload: Record<string, unknown>, deliveryId = randomUUID()) => harness.item({ ...envelopeOf(event, payload), deliveryId });
  const context = () => harness.context();
  const delivery = async (id: string) => (await getDelivery(harness.db().orm.em.fork(), id))?.delivery;

  it('reads GITHUB on the durable actor_deliveries under the name other_events', () => {
    expect(actor()).to.deep.include({ name: 'other_events', stream: 'GITHUB', durables: ['actor_deliveries'] });
  });

  it('skips events another actor owns without recording them', async () => {
    const pushed = item('push', { ref: 'refs/heads/main' });
    expect(await actor().handleBatch([pushed], context())).to.deep.equal(['skipped']);
    expect(await delivery(pushed.input.deliveryId)).to.equal(undefined);
  });

  it('records ping as processed and any other event as ignored, saying no actor handles it', async () => {
    const ping = item('ping', examplePayload('ping'));
    const issue = item('issues', examplePayload('issues', (p) => p.action === 'opened'));
    const pushed = item('push', {});
    expect(await actor().handleBatch([ping, issue, pushed], context())).to.deep.equal(['processed', 'ignored', 'skipped']);
    expect(await delivery(ping.input.deliveryId)).to.deep.include({ eventType: 'ping', outcome: 'processed', error: null });
    expect(await delivery(issue.input.deliveryId)).to.deep.include({ eventType: 'issues', action: 'opened', outcome: 'ignored', error: 'no actor handles issues events' });
  });

  it('records two messages of one delivery in a batch once, seen twice', async () => {
    const id = randomUUID();
    const results = await actor().handleBatch([item('star', { action: 'created' }, id), item('star', { action: 'created' }, id)], context());
    expect(results).to.deep.equal(['ignored', 'ignored']);
    expect(await delivery(id)).to.deep.include({ outcome: 'ignored', timesSeen: 2 });
  });
});
