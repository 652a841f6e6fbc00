import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  getDelivery,
  listDeliveries,
  recordDeliveryReceived,
  setDeliveryOutcome,
} from '../../../../src/effects/db/delivery-store.js';
import { createTaskOnce } from '../../../../src/effects/db/task-store.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/test-database.js';

describe('delivery-store', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  const fork = () => db.orm.em.fork();
  const uniqueRepo = () => `acme/${randomUUID().slice(0, 8)}`;

  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.close();
  });

  describe('recordDeliveryReceived', () => {
    it('inserts a new delivery as received, seen once, first time', async () => {
      const deliveryId = randomUUID();
      const { delivery, firstTime } = await recordDeliveryReceived(fork(), {
        deliveryId,
        eventType: 'pull_request',
        action: 'opened',
        repository: 'acme/widgets',
        installationId: 4_294_967_296_123,
        hookId: '12345',
        targetType: 'organization',
        streamSeq: 42,
      });
      expect(firstTime).to.equal(true);
      expect(delivery).to.include({
        deliveryId,
        eventType: 'pull_request',
        action: 'opened',
        repository: 'acme/widgets',
        installationId: 4_294_967_296_123,
        hookId: '12345',
        targetType: 'organization',
        streamSeq: 42,
        outcome: 'received',
        error: null,
        processedAt: null,
        timesSeen: 1,
      });
      expect(delivery.receivedAt).to.be.instanceOf(Date);
    });

    it('counts redeliveries without a second first time, and fills in what was missing', async () => {
      const deliveryId = randomUUID();
      await recordDeliveryReceived(fork(), { deliveryId, eventType: 'push' });
      const again = await recordDeliveryReceived(fork(), { deliveryId, eventType: 'push', repository: 'acme/late', streamSeq: 7 });
      const third = await recordDeliveryReceived(fork(), { deliveryId, eventType: 'push', repository: 'acme/other', streamSeq: 9 });
      expect(again.firstTime).to.equal(false);
      expect(third.firstTime).to.equal(false);
      expect(third.delivery.timesSeen).to.equal(3);
      expect(third.delivery.repository).to.equal('acme/late');
      expect(third.delivery.streamSeq).to.equal(7);
    });

    it('gives exactly one of many concurrent sightings the first time, and loses no count', async () => {
      const deliveryId = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => recordDeliveryReceived(fork(), { deliveryId, eventType: 'check_run' })),
      );
      expect(results.filter((result) => result.firstTime)).to.have.length(1);
      const detail = await getDelivery(fork(), deliveryId);
      expect(detail!.delivery.timesSeen).to.equal(8);
    });
  });

  describe('setDeliveryOutcome', () => {
    it('settles a delivery with its outcome, error and processed time', async () => {
      const deliveryId = randomUUID();
      await recordDeliveryReceived(fork(), { deliveryId, eventType: 'check_suite' });
      const failed = await setDeliveryOutcome(fork(), deliveryId, 'failed', 'dependency_failed: GitHub said 502');
      expect(failed).to.include({ outcome: 'failed', error: 'dependency_failed: GitHub said 502' });
      expect(failed!.processedAt).to.be.instanceOf(Date);
      const processed = await setDeliveryOutcome(fork(), deliveryId, 'processed');
      expect(processed).to.include({ outcome: 'processed', error: null });
    });

    it('does not let a duplicate hide what happened to the original', async () => {
      const settled = randomUUID();
      await recordDeliveryReceived(fork(), { deliveryId: settled, eventType: 'ping' });
      await setDeliveryOutcome(fork(), settled, 'processed');
      const afterDuplicate = await setDeliveryOutcome(fork(), settled, 'duplicate');
      expect(afterDuplicate!.outcome).to.equal('processed');

      const unsettled = randomUUID();
      await recordDeliveryReceived(fork(), { deliveryId: unsettled, eventType: 'ping' });
      const duplicate = await setDeliveryOutcome(fork(), unsettled, 'duplicate');
      expect(duplicate!.outcome).to.equal('duplicate');
    });

    it('returns null for an unknown delivery', async () => {
      expect(await setDeliveryOutcome(fork(), randomUUID(), 'processed')).to.equal(null);
    });
  });

  describe('listDeliveries', () => {
    it('pages newest first with the total, without overlap', async () => {
      const repository = uniqueRepo();
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const deliveryId = randomUUID();
        ids.push(deliveryId);
        await recordDeliveryReceived(fork(), {
          deliveryId,
          eventType: 'push',
          repository,
          receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
        });
      }
      const first = await listDeliveries(fork(), { repository }, { limit: 2, offset: 0 });
      const second = await listDeliveries(fork(), { repository }, { limit: 2, offset: 2 });
      const third = await listDeliveries(fork(), { repository }, { limit: 2, offset: 4 });
      expect(first.total).to.equal(5);
      expect(second.total).to.equal(5);
      const order = [...first.rows, ...second.rows, ...third.rows].map((row) => row.deliveryId);
      expect(order).to.deep.equal([...ids].reverse());
      expect(await listDeliveries(fork(), { repository }, { limit: 2, offset: 10 })).to.deep.include({ rows: [], total: 5 });
    });

    it('filters by event type, repository and outcome, each and together', async () => {
      const repository = uniqueRepo();
      const other = uniqueRepo();
      const make = async (eventType: string, repo: string, outcome: 'processed' | 'ignored' | null) => {
        const deliveryId = randomUUID();
        await recordDeliveryReceived(fork(), { deliveryId, eventType, repository: repo });
        if (outcome) await setDeliveryOutcome(fork(), deliveryId, outcome);
        return deliveryId;
      };
      const a = await make('push', repository, 'processed');
      const b = await make('pull_request', repository, 'ignored');
      const c = await make('push', repository, null);
      const d = await make('push', other, 'processed');
      const ids = async (filters: Parameters<typeof listDeliveries>[1]) =>
        (await listDeliveries(fork(), filters, { limit: 100, offset: 0 })).rows.map((row) => row.deliveryId).sort();

      expect(await ids({ repository })).to.deep.equal([a, b, c].sort());
      expect(await ids({ repository, eventType: 'push' })).to.deep.equal([a, c].sort());
      expect(await ids({ repository, outcome: 'ignored' })).to.deep.equal([b]);
      expect(await ids({ repository, outcome: 'received' })).to.deep.equal([c]);
      expect(await ids({ repository: other })).to.deep.equal([d]);
      const byOutcome = await listDeliveries(fork(), { outcome: 'processed' }, { limit: 1000, offset: 0 });
      expect(byOutcome.rows.every((row) => row.outcome === 'processed')).to.equal(true);
      expect(byOutcome.rows.map((row) => row.deliveryId)).to.include.members([a, d]);
      const byEvent = await listDeliveries(fork(), { eventType: 'pull_request' }, { limit: 1000, offset: 0 });
      expect(byEvent.rows.every((row) => row.eventType === 'pull_request')).to.equal(true);
      expect(byEvent.rows.map((row) => row.deliveryId)).to.include(b);
    });
  });

  describe('getDelivery', () => {
    it('returns the delivery with the tasks it created, oldest first', async () => {
      const deliveryId = randomUUID();
      await recordDeliveryReceived(fork(), { deliveryId, eventType: 'check_run', repository: 'acme/widgets' });
      const first = await createTaskOnce(fork(), {
        taskType: 'check_failure_analysis',
        repository: 'acme/widgets',
        deliveryId,
        eventType: 'check_run',
        action: 'completed',
      });
      const second = await createTaskOnce(fork(), {
        taskType: 'pull_request_analysis',
        repository: 'acme/widgets',
        deliveryId,
        eventType: 'check_run',
      });
      const detail = await getDelivery(fork(), deliveryId);
      expect(detail!.delivery.deliveryId).to.equal(deliveryId);
      expect(detail!.tasks.map((task) => task.id)).to.deep.equal([first.task.id, second.task.id]);
    });

    it('returns null for an unknown delivery', async () => {
      expect(await getDelivery(fork(), 'no-such-delivery')).to.equal(null);
    });
  });
});
