import { expect } from 'chai';
import { deliveryListQuery, deliveryPathParams, deliveryViewSchema, replayAcceptedSchema } from '../../../../src/api/schemas/delivery-schemas.js';

describe('deliveryListQuery', () => {
  it('filters by event, repository and outcome, with the page', () => {
    expect(deliveryListQuery.parse({ event: 'push', repository: 'o/r', outcome: 'processed', limit: '5' })).to.deep.equal({
      limit: 5,
      offset: 0,
      event: 'push',
      repository: 'o/r',
      outcome: 'processed',
    });
  });

  it('refuses an unknown outcome, a malformed event and unknown filters', () => {
    expect(deliveryListQuery.safeParse({ outcome: 'lost' }).success).to.equal(false);
    expect(deliveryListQuery.safeParse({ event: 'Push' }).success).to.equal(false);
    expect(deliveryListQuery.safeParse({ colour: 'red' }).success).to.equal(false);
  });
});

describe('deliveryPathParams', () => {
  it('takes a delivery id as ingress accepts them', () => {
    expect(deliveryPathParams.safeParse({ delivery_id: '72d3162e-cc78-11e3-81ab-4c9367dc0958' }).success).to.equal(true);
    expect(deliveryPathParams.safeParse({ delivery_id: 'a b' }).success).to.equal(false);
  });
});

describe('deliveryViewSchema', () => {
  it('accepts a delivery still being processed and refuses an unknown outcome', () => {
    const delivery = {
      delivery_id: 'd-1',
      event_type: 'push',
      action: null,
      repository: 'o/r',
      installation_id: null,
      hook_id: '123',
      stream_seq: 4,
      outcome: 'received',
      received_at: '2026-11-29T09:00:00.000Z',
      processed_at: null,
      error: null,
    };
    expect(deliveryViewSchema.safeParse(delivery).success).to.equal(true);
    expect(deliveryViewSchema.safeParse({ ...delivery, outcome: 'lost' }).success).to.equal(false);
  });
});

describe('replayAcceptedSchema', () => {
  it('says queued with where the new message is', () => {
    expect(replayAcceptedSchema.safeParse({ status: 'queued', delivery_id: 'd-1', stream: 'GITHUB', seq: 9 }).success).to.equal(true);
    expect(replayAcceptedSchema.safeParse({ status: 'queued', delivery_id: 'd-1', stream: 'GITHUB', seq: 0 }).success).to.equal(false);
  });
});
