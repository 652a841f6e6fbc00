import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { closeOpenAttempts, currentLeaseLeftMs, expireAttemptLeases, renewAttemptLeases } from '../../../../src/effects/db/attempt-leases.js';
import { createTaskOnce, finishAttempt, getTask, startAttempt } from '../../../../src/effects/db/task-store.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/test-database.js';

describe('attempt-leases', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  const em = () => db.orm.em.fork() as EntityManager;

  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.close();
  });

  /** A task running its first attempt under `owner` with a lease of `leaseMs`. */
  const running = async (owner: string, leaseMs: number) => {
    const { task } = await createTaskOnce(em(), {
      taskType: 'push_analysis',
      repository: 'acme/leases',
      deliveryId: randomUUID(),
      eventType: 'push',
    });
    await startAttempt(em(), task.id, { owner, leaseMs });
    return { taskId: task.id, number: 1 };
  };

  describe('renewAttemptLeases', () => {
    it('extends every open attempt in one statement, records the renewing owner, and reports the closed ones', async () => {
      const open = await running('a', 1000);
      const adopted = await running('gone', 1000);
      const closed = await running('a', 1000);
      await finishAttempt(em(), closed.taskId, 1, 'succeeded', { status: 'succeeded' });

      const gone = await renewAttemptLeases(em(), [open, adopted, closed], { owner: 'a', leaseMs: 60_000 });
      expect(gone).to.deep.equal([closed]);
      expect(await currentLeaseLeftMs(em(), open.taskId, 1000)).to.be.within(55_000, 60_000);
      const [attempt] = (await getTask(em(), adopted.taskId))!.attempts;
      expect(attempt).to.include({ owner: 'a', finishedAt: null });
      expect(await renewAttemptLeases(em(), [], { owner: 'a', leaseMs: 1 })).to.deep.equal([]);
    });
  });

  describe('expireAttemptLeases', () => {
    it('ends the leases of open attempts at once', async () => {
      const attempt = await running('a', 60_000);
      expect(await currentLeaseLeftMs(em(), attempt.taskId, 60_000)).to.be.greaterThan(50_000);
      await expireAttemptLeases(em(), [attempt]);
      expect(await currentLeaseLeftMs(em(), attempt.taskId, 60_000)).to.equal(0);
      await expireAttemptLeases(em(), []);
    });
  });

  describe('currentLeaseLeftMs', () => {
    it('is 0 for a task without an open attempt', async () => {
      const attempt = await running('a', 60_000);
      await closeOpenAttempts(em(), attempt.taskId, 'abandoned', 'abandoned: test');
      expect(await currentLeaseLeftMs(em(), attempt.taskId, 60_000)).to.equal(0);
      const [closed] = (await getTask(em(), attempt.taskId))!.attempts;
      expect(closed).to.include({ outcome: 'abandoned', error: 'abandoned: test' });
    });
  });
});
