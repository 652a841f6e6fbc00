import { expect } from 'chai';
import { toDeliveryView } from '../../../src/api/delivery-view.js';
import { toTaskView } from '../../../src/api/task-view.js';
import { deliveryDetailSchema, deliveryViewSchema } from '../../../src/api/schemas/delivery-schemas.js';
import type { WebhookDelivery } from '../../../src/effects/db/entities/webhook-delivery.js';
import { taskRow as task } from '../../fixtures/task-row.js';

describe('toDeliveryView', () => {
  const delivery: WebhookDelivery = {
    deliveryId: 'd-1',
    eventType: 'check_run',
    action: 'completed',
    repository: 'o/r',
    installationId: 9,
    hookId: '123',
    targetType: 'repository',
    streamSeq: 4,
    outcome: 'processed',
    error: null,
    receivedAt: new Date('2026-11-29T08:59:59Z'),
    processedAt: null,
    timesSeen: 2,
  };

  it('writes the listed fields of a delivery, leaving out what the API does not show', () => {
    const view = toDeliveryView(delivery);
    expect(view).to.deep.equal({
      delivery_id: 'd-1',
      event_type: 'check_run',
      action: 'completed',
      repository: 'o/r',
      installation_id: 9,
      hook_id: '123',
      stream_seq: 4,
      outcome: 'processed',
      received_at: '2026-11-29T08:59:59.000Z',
      processed_at: null,
      error: null,
    });
    expect(deliveryViewSchema.safeParse(view).success).to.equal(true);
  });

  it('adds the tasks it created for the detail, as listed', () => {
    const detail = toDeliveryView({ ...delivery, processedAt: new Date('2026-11-29T09:00:00Z') }, [task()]);
    expect(detail.processed_at).to.equal('2026-11-29T09:00:00.000Z');
    expect(detail.tasks).to.deep.equal([toTaskView(task())]);
    expect(deliveryDetailSchema.safeParse(detail).success).to.equal(true);
  });
});
