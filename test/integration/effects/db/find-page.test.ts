import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { WebhookDeliverySchema } from '../../../../src/effects/db/entities/webhook-delivery.js';
import { findPage, timeRange } from '../../../../src/effects/db/find-page.js';
import { recordDeliveryReceived } from '../../../../src/effects/db/delivery-store.js';
import { useTestDatabase } from '../../../helpers/test-database.js';

describe('findPage', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  const fork = () => db().orm.em.fork();
  const repository = `octo/${randomUUID().slice(0, 8)}`;
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 12, minute));
  // Two deliveries share a time, so the tie-break decides their order.
  const rows = [
    { deliveryId: 'b-0001', eventType: 'push', receivedAt: at(1) },
    { deliveryId: 'b-0002', eventType: 'ping', receivedAt: at(2) },
    { deliveryId: 'b-0003', eventType: 'push', receivedAt: at(2) },
    { deliveryId: 'b-0004', eventType: 'push', receivedAt: at(3) },
  ];
  before(async () => {
    for (const row of rows) await recordDeliveryReceived(fork(), { ...row, deliveryId: `${repository}-${row.deliveryId}`, repository });
  });
  const ids = (page: { rows: Array<{ deliveryId: string }> }) => page.rows.map((row) => row.deliveryId.slice(repository.length + 1));

  it('lists newest first, ties broken by the second key, with the total of all pages', async () => {
    const page = await findPage(fork(), WebhookDeliverySchema, { repository }, ['receivedAt', 'deliveryId'], { limit: 10, offset: 0 });
    expect(ids(page)).to.deep.equal(['b-0004', 'b-0003', 'b-0002', 'b-0001']);
    expect(page.total).to.equal(4);
  });

  it('returns the window asked for, pages never overlapping', async () => {
    const first = await findPage(fork(), WebhookDeliverySchema, { repository }, ['receivedAt', 'deliveryId'], { limit: 2, offset: 0 });
    const second = await findPage(fork(), WebhookDeliverySchema, { repository }, ['receivedAt', 'deliveryId'], { limit: 2, offset: 2 });
    expect([...ids(first), ...ids(second)]).to.deep.equal(['b-0004', 'b-0003', 'b-0002', 'b-0001']);
    expect(second.total).to.equal(4);
  });

  it('narrows by each filter given and leaves out an undefined one', async () => {
    const pushes = await findPage(fork(), WebhookDeliverySchema, { repository, eventType: 'push', outcome: undefined }, ['receivedAt', 'deliveryId'], { limit: 10, offset: 0 });
    expect(ids(pushes)).to.deep.equal(['b-0004', 'b-0003', 'b-0001']);
    expect(pushes.total).to.equal(3);
  });

  it('filters a time column from (inclusive) until (exclusive)', async () => {
    const receivedAt = timeRange(at(2), at(3));
    const page = await findPage(fork(), WebhookDeliverySchema, { repository, receivedAt }, ['receivedAt', 'deliveryId'], { limit: 10, offset: 0 });
    expect(ids(page)).to.deep.equal(['b-0003', 'b-0002']);
  });
});

describe('timeRange', () => {
  it('is undefined when neither bound is given, and holds only the bounds given', () => {
    const from = new Date(0);
    const until = new Date(1000);
    expect(timeRange(undefined, undefined)).to.equal(undefined);
    expect(timeRange(from, undefined)).to.deep.equal({ $gte: from });
    expect(timeRange(undefined, until)).to.deep.equal({ $lt: until });
    expect(timeRange(from, until)).to.deep.equal({ $gte: from, $lt: until });
  });
});
