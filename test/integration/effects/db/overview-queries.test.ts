import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createTaskOnce } from '../../../../src/effects/db/create-tasks-once.js';
import { recordDeliveryReceived, setDeliveryOutcome } from '../../../../src/effects/db/delivery-store.js';
import { countDeliveriesPerMinute, countTasksByStatus } from '../../../../src/effects/db/overview-queries.js';
import { useTestDatabase } from '../../../helpers/test-database.js';

describe('overview queries', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  const fork = () => db().orm.em.fork();
  const minute = (m: number, s = 0) => new Date(Date.UTC(2026, 10, 29, 12, m, s));
  before(async () => {
    const deliveries: Array<[string, number, number, 'processed' | 'ignored']> = [
      ['push', 0, 10, 'processed'],
      ['push', 0, 50, 'processed'],
      ['ping', 0, 30, 'ignored'],
      ['push', 1, 5, 'ignored'],
      ['push', 1, 6, 'processed'],
    ];
    for (const [eventType, m, s, outcome] of deliveries) {
      const deliveryId = randomUUID();
      await recordDeliveryReceived(fork(), { deliveryId, eventType, receivedAt: minute(m, s) });
      await setDeliveryOutcome(fork(), deliveryId, outcome);
    }
    await recordDeliveryReceived(fork(), { deliveryId: randomUUID(), eventType: 'push', receivedAt: minute(-5) });
  });

  it('countDeliveriesPerMinute: deliveries since the time, per minute, event type and outcome, in order', async () => {
    const counts = await countDeliveriesPerMinute(fork(), minute(0));
    expect(counts.map((c) => [c.minute.toISOString(), c.eventType, c.outcome, c.count])).to.deep.equal([
      ['2026-11-29T12:00:00.000Z', 'ping', 'ignored', 1],
      ['2026-11-29T12:00:00.000Z', 'push', 'processed', 2],
      ['2026-11-29T12:01:00.000Z', 'push', 'ignored', 1],
      ['2026-11-29T12:01:00.000Z', 'push', 'processed', 1],
    ]);
  });

  it('countTasksByStatus: tasks created since the time, by type and their status now', async () => {
    const since = new Date();
    await createTaskOnce(fork(), { taskType: 'push_analysis', repository: 'octo/app', deliveryId: randomUUID(), eventType: 'push' });
    await createTaskOnce(fork(), { taskType: 'push_analysis', repository: 'octo/app', deliveryId: randomUUID(), eventType: 'push' });
    await createTaskOnce(fork(), { taskType: 'pull_request_analysis', repository: 'octo/app', deliveryId: randomUUID(), eventType: 'pull_request' });
    expect(await countTasksByStatus(fork(), since)).to.deep.equal([
      { taskType: 'pull_request_analysis', status: 'queued', count: 1 },
      { taskType: 'push_analysis', status: 'queued', count: 2 },
    ]);
    expect(await countTasksByStatus(fork(), new Date(Date.now() + 60_000))).to.deep.equal([]);
  });
});
