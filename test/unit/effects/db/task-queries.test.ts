import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { countFixRuns, findTask, getTask, listTasks } from '../../../../src/effects/db/task-queries.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/test-database.js';

interface Row {
  taskType?: string;
  status?: string;
  repository?: string;
  deliveryId?: string;
  pullRequestNumber?: number | null;
  purpose?: string | null;
  headSha?: string | null;
  codegenRunId?: number | null;
  createdAt: string;
}

describe('task-queries', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  const em = () => db.orm.em.fork() as EntityManager;
  const ids: Record<string, string> = {};

  /** Inserts a task row as the task store would leave it; returns its id. */
  const insert = async (row: Row): Promise<string> => {
    const id = randomUUID();
    await em().execute(
      `insert into "tasks" ("id", "task_type", "status", "repository", "delivery_id", "event_type", "pull_request_number",
         "purpose", "head_sha", "codegen_run_id", "input", "created_at", "updated_at")
       values (?, ?, ?, ?, ?, 'check_run', ?, ?, ?, ?, '{}', ?, ?)`,
      [
        id,
        row.taskType ?? 'check_failure_analysis',
        row.status ?? 'succeeded',
        row.repository ?? 'o/r',
        row.deliveryId ?? 'd-1',
        row.pullRequestNumber ?? null,
        row.purpose ?? null,
        row.headSha ?? null,
        row.codegenRunId ?? null,
        row.createdAt,
        row.createdAt,
      ],
    );
    return id;
  };

  before(async () => {
    db = await createTestDatabase();
    ids.oldest = await insert({ createdAt: '2026-11-29T08:00:00Z', status: 'dead' });
    ids.middle = await insert({ createdAt: '2026-11-29T09:00:00Z', repository: 'o/other', deliveryId: 'd-2' });
    ids.newest = await insert({ createdAt: '2026-11-29T10:00:00Z', taskType: 'push_analysis', deliveryId: 'd-3' });
    await em().execute(
      `insert into "task_attempts" ("task_id", "number", "started_at", "finished_at", "outcome")
       values (?, 2, '2026-11-29T08:05:00Z', null, null), (?, 1, '2026-11-29T08:01:00Z', '2026-11-29T08:02:00Z', 'failed')`,
      [ids.oldest, ids.oldest],
    );
  });
  after(() => db.close());

  describe('listTasks', () => {
    it('lists newest first with the total, a page at a time', async () => {
      const first = await listTasks(em(), {}, { limit: 2, offset: 0 });
      expect(first.rows.map((task) => task.id)).to.deep.equal([ids.newest, ids.middle]);
      expect(first.total).to.equal(3);
      const second = await listTasks(em(), {}, { limit: 2, offset: 2 });
      expect(second.rows.map((task) => task.id)).to.deep.equal([ids.oldest]);
    });

    it('narrows by each filter given', async () => {
      const only = async (filters: Parameters<typeof listTasks>[1]) => (await listTasks(em(), filters, { limit: 10, offset: 0 })).rows.map((task) => task.id);
      expect(await only({ status: 'dead' })).to.deep.equal([ids.oldest]);
      expect(await only({ taskType: 'push_analysis' })).to.deep.equal([ids.newest]);
      expect(await only({ repository: 'o/other' })).to.deep.equal([ids.middle]);
      expect(await only({ deliveryId: 'd-1', status: 'dead' })).to.deep.equal([ids.oldest]);
      expect(await only({ deliveryId: 'd-1', taskType: 'push_analysis' })).to.deep.equal([]);
    });
  });

  describe('findTask', () => {
    it('finds a task by id, and nothing for an unknown id or one that is not a UUID', async () => {
      expect((await findTask(em(), ids.middle!))?.repository).to.equal('o/other');
      expect(await findTask(em(), randomUUID())).to.equal(null);
      expect(await findTask(em(), 'not-a-uuid')).to.equal(null);
    });
  });

  describe('getTask', () => {
    it('gives the task with its attempts, oldest first', async () => {
      const detail = await getTask(em(), ids.oldest!);
      expect(detail?.task.status).to.equal('dead');
      expect(detail?.attempts.map((attempt) => [attempt.number, attempt.outcome])).to.deep.equal([
        [1, 'failed'],
        [2, null],
      ]);
    });

    it('gives nothing for an unknown id or one that is not a UUID', async () => {
      expect(await getTask(em(), randomUUID())).to.equal(null);
      expect(await getTask(em(), '42')).to.equal(null);
    });
  });

  describe('countFixRuns', () => {
    it('counts fix triggers that started a run or still may, and nothing else, per pull request', async () => {
      const trigger = (overrides: Partial<Row>) =>
        insert({ taskType: 'codegen_trigger', purpose: 'fix', repository: 'o/capped', pullRequestNumber: 5, headSha: randomUUID(), createdAt: '2026-11-29T11:00:00Z', ...overrides });
      await trigger({ status: 'succeeded', codegenRunId: 101 });
      await trigger({ status: 'failed', codegenRunId: 102 });
      await trigger({ status: 'queued' });
      await trigger({ status: 'retrying' });
      // Not counted: a skipped or run-less failed trigger, a review, another pull request.
      await trigger({ status: 'skipped' });
      await trigger({ status: 'failed' });
      await trigger({ status: 'queued', purpose: 'review' });
      await trigger({ status: 'queued', pullRequestNumber: 6 });
      expect(await countFixRuns(em(), 'o/capped', 5)).to.equal(4);
      expect(await countFixRuns(em(), 'o/capped', 6)).to.equal(1);
      expect(await countFixRuns(em(), 'o/r', 5)).to.equal(0);
    });
  });
});
