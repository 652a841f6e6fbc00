import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../../../src/errors/app-error.js';
import { lockTask, taskAssignments, taskNotFound, updateTask } from '../../../../src/effects/db/task-row.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/test-database.js';

describe('taskAssignments', () => {
  it('always sets the status and updated_at', () => {
    expect(taskAssignments('running', {})).to.deep.equal({ sql: '"status" = ?, "updated_at" = now()', params: ['running'] });
  });

  it('sets given fields, clears null ones and leaves undefined ones alone', () => {
    expect(taskAssignments('failed', { lastError: 'boom', reason: null, codegenRunId: undefined })).to.deep.equal({
      sql: '"status" = ?, "updated_at" = now(), "last_error" = ?, "reason" = ?',
      params: ['failed', 'boom', null],
    });
  });

  it('writes JSON fields as jsonb text, and a null one as SQL null', () => {
    expect(taskAssignments('succeeded', { findings: { checks: ['unit'] }, input: {} })).to.deep.equal({
      sql: '"status" = ?, "updated_at" = now(), "findings" = ?::jsonb, "input" = ?::jsonb',
      params: ['succeeded', '{"checks":["unit"]}', '{}'],
    });
    expect(taskAssignments('succeeded', { findings: null }).params).to.deep.equal(['succeeded', null]);
  });
});

describe('taskNotFound', () => {
  it('is a not_found AppError naming the task', () => {
    const error = taskNotFound('abc');
    expect(error).to.be.instanceOf(AppError);
    expect(error).to.include({ code: 'not_found', message: 'task abc not found' });
    expect(error.details).to.deep.equal({ taskId: 'abc' });
  });
});

describe('lockTask and updateTask', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let taskId: string;
  before(async () => {
    db = await createTestDatabase();
    taskId = randomUUID();
    await db.orm.em.fork().execute(
      `insert into "tasks" ("id", "task_type", "status", "repository", "delivery_id", "event_type", "attempt_count", "input")
       values (?, 'push_analysis', 'queued', 'o/r', 'd-1', 'push', 2, '{}')`,
      [taskId],
    );
  });
  after(() => db.close());

  const inTransaction = <T>(work: (tx: EntityManager) => Promise<T>): Promise<T> =>
    db.orm.em.fork().transactional((tx) => work(tx as EntityManager));

  it('reads the row’s state under a lock', async () => {
    const locked = await inTransaction((tx) => lockTask(tx, taskId));
    expect(locked).to.deep.include({ taskType: 'push_analysis', status: 'queued', attemptCount: 2 });
    expect(locked.idleMs).to.be.a('number').and.at.least(0);
  });

  it('writes the status and patch and returns the row', async () => {
    const row = await inTransaction((tx) => updateTask(tx, taskId, 'succeeded', { reason: 'recorded', findings: { ok: true } }));
    expect(row).to.deep.include({ status: 'succeeded', reason: 'recorded', findings: { ok: true } });
    expect(await inTransaction((tx) => lockTask(tx, taskId))).to.deep.include({ status: 'succeeded' });
  });

  it('answers not_found for an unknown task and for an id that is not a UUID', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const lockError = await inTransaction((tx) => lockTask(tx, id)).then(() => undefined, (thrown: unknown) => thrown);
      expect(lockError, id).to.include({ code: 'not_found' });
    }
    const updateError = await inTransaction((tx) => updateTask(tx, randomUUID(), 'failed', {})).then(() => undefined, (thrown: unknown) => thrown);
    expect(updateError).to.include({ code: 'not_found' });
  });
});
