import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { isAppError } from '../../../../src/errors/app-error.js';
import { openDatabase, type Database } from '../../../../src/effects/db/open-database.js';
import {
  createTaskOnce,
  findOrCreateCodegenTrigger,
  getTask,
  listTasks,
  startAttempt,
  type CreateTaskInput,
} from '../../../../src/effects/db/task-store.js';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../../helpers/test-database.js';

describe('unique constraints under concurrent writers', function () {
  this.timeout(60_000);
  // Two ORMs, two connection pools: the writers race as two service instances would.
  let db: TestDatabase;
  let other: Database;
  const writers = () => [db.orm.em.fork(), other.orm.em.fork()] as const;

  const analysis = (deliveryId: string): CreateTaskInput => ({
    taskType: 'pull_request_analysis',
    repository: 'acme/race',
    deliveryId,
    eventType: 'pull_request',
    action: 'synchronize',
    pullRequestNumber: 1,
  });

  async function lockWaiters(): Promise<number> {
    const [row] = await db.orm.em
      .fork()
      .execute(
        `select count(*)::int as "waiting" from pg_stat_activity
         where datname = current_database() and wait_event_type = 'Lock' and state = 'active'`,
      );
    return Number(row!.waiting);
  }

  async function untilSomeoneWaitsForALock(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while ((await lockWaiters()) === 0) {
      if (Date.now() > deadline) throw new Error('no writer ever waited for the lock');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  before(async () => {
    db = await createTestDatabase();
    other = await openDatabase({ url: db.url, logger: silentLogger() });
  });
  after(async () => {
    await other?.close();
    await db?.close();
  });

  it('createTaskOnce: racing writers make exactly one row, and both get its id', async () => {
    for (let round = 0; round < 20; round += 1) {
      const deliveryId = randomUUID();
      const [left, right] = writers();
      const results = await Promise.all([createTaskOnce(left, analysis(deliveryId)), createTaskOnce(right, analysis(deliveryId))]);
      expect(results.filter((result) => result.created), `round ${round}`).to.have.length(1);
      expect(results[0].task.id).to.equal(results[1].task.id);
      const rows = await listTasks(db.orm.em.fork(), { deliveryId }, { limit: 10, offset: 0 });
      expect(rows.total).to.equal(1);
    }
  });

  it('findOrCreateCodegenTrigger: a burst of failures on one commit coalesces into one trigger', async () => {
    for (let round = 0; round < 10; round += 1) {
      const headSha = randomUUID().replace(/-/g, '');
      const burst = Array.from({ length: 6 }, (_, i) =>
        findOrCreateCodegenTrigger(writers()[i % 2]!, {
          repository: 'acme/race',
          headSha,
          purpose: 'fix',
          pullRequestNumber: 2,
          deliveryId: randomUUID(),
          eventType: 'check_run',
          action: 'completed',
        }),
      );
      const results = await Promise.all(burst);
      expect(results.filter((result) => result.created), `round ${round}`).to.have.length(1);
      expect(new Set(results.map((result) => result.task.id)).size).to.equal(1);
      const [row] = await db.orm.em
        .fork()
        .execute(`select count(*)::int as "n" from "tasks" where "task_type" = 'codegen_trigger' and "head_sha" = ?`, [headSha]);
      expect(row!.n).to.equal(1);
    }
  });

  it('a writer that meets an uncommitted twin waits, then returns the committed row', async () => {
    const deliveryId = randomUUID();
    const [left, right] = writers();
    let inserted!: () => void;
    const firstInserted = new Promise<void>((resolve) => (inserted = resolve));
    const first = left.transactional(async (tx) => {
      const result = await createTaskOnce(tx, analysis(deliveryId));
      inserted();
      await untilSomeoneWaitsForALock();
      return result;
    });
    await firstInserted;
    const second = createTaskOnce(right, analysis(deliveryId));
    const [a, b] = await Promise.all([first, second]);
    expect(a.created).to.equal(true);
    expect(b.created).to.equal(false);
    expect(b.task.id).to.equal(a.task.id);
  });

  it('a writer whose twin rolls back creates the row itself', async () => {
    const deliveryId = randomUUID();
    const [left, right] = writers();
    let inserted!: () => void;
    const firstInserted = new Promise<void>((resolve) => (inserted = resolve));
    const rolledBack = new Error('roll back on purpose');
    const first = left.transactional(async (tx) => {
      await createTaskOnce(tx, analysis(deliveryId));
      inserted();
      await untilSomeoneWaitsForALock();
      throw rolledBack;
    });
    await firstInserted;
    const second = createTaskOnce(right, analysis(deliveryId));
    const [a, b] = await Promise.allSettled([first, second]);
    expect(a).to.deep.equal({ status: 'rejected', reason: rolledBack });
    expect(b.status).to.equal('fulfilled');
    const created = (b as PromiseFulfilledResult<Awaited<typeof second>>).value;
    expect(created.created).to.equal(true);
    expect((await getTask(db.orm.em.fork(), created.task.id))!.task.deliveryId).to.equal(deliveryId);
  });

  it('startAttempt: of two workers starting the same task, one runs it and the other gets 409', async () => {
    for (let round = 0; round < 10; round += 1) {
      const { task } = await createTaskOnce(db.orm.em.fork(), analysis(randomUUID()));
      const [left, right] = writers();
      const outcomes = await Promise.allSettled([startAttempt(left, task.id), startAttempt(right, task.id)]);
      const started = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(started, `round ${round}`).to.have.length(1);
      expect(refused).to.have.length(1);
      const reason = (refused[0] as PromiseRejectedResult).reason as unknown;
      expect(isAppError(reason) && reason.code).to.equal('conflict');
      const detail = await getTask(db.orm.em.fork(), task.id);
      expect(detail!.task.attemptCount).to.equal(1);
      expect(detail!.attempts).to.have.length(1);
    }
  });
});
