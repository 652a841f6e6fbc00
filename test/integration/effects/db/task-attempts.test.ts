import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { AppError } from '../../../../src/errors/app-error.js';
import { finishAttempts, startAttempts } from '../../../../src/effects/db/task-attempts.js';
import { createTaskOnce, findOrCreateCodegenTrigger, finishAttempt, getTask, startAttempt } from '../../../../src/effects/db/task-store.js';
import { analysisTask, expectAppError, expireLease as expireLeaseOf, recordTransitions } from '../../../helpers/task-fixtures.js';
import { useTestDatabase } from '../../../helpers/test-database.js';

describe('task-attempts', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  const fork = () => db().orm.em.fork();
  const uniqueRepo = () => `acme/${randomUUID().slice(0, 8)}`;
  const analysis = analysisTask;
  const transitions = recordTransitions;
  const age = async (taskId: string, minutes: number) => {
    await fork().execute(`update "tasks" set "updated_at" = now() - make_interval(mins => ?) where "id" = ?`, [minutes, taskId]);
  };

  const expireLease = (taskId: string) => expireLeaseOf(fork(), taskId);

  describe('startAttempts', () => {
    it('marks the task running, counts the attempt and records its row', async () => {
      const { task } = await createTaskOnce(fork(), analysis());
      const counted = transitions();
      const started = await startAttempt(fork(), task.id, counted);
      expect(started.number).to.equal(1);
      expect(started.task).to.include({ status: 'running', attemptCount: 1 });
      expect(counted.seen).to.deep.equal([['check_failure_analysis', 'running']]);
      const detail = await getTask(fork(), task.id);
      expect(detail!.attempts).to.have.length(1);
      expect(detail!.attempts[0]).to.include({ number: 1, finishedAt: null, outcome: null });
    });

    it('refuses a task running under a live lease (409 with the time left), and takes it over once the lease has run out', async () => {
      const { task } = await createTaskOnce(fork(), analysis());
      await startAttempt(fork(), task.id, { owner: 'instance-a', leaseMs: 60_000 });
      const error = await expectAppError(startAttempt(fork(), task.id, { owner: 'instance-b', leaseMs: 60_000 }), 'conflict');
      expect(error.message).to.include('already running');
      expect((error as AppError).details!.leaseLeftMs).to.be.within(50_000, 60_000);

      await expireLease(task.id);
      const takeover = await startAttempt(fork(), task.id, { owner: 'instance-b', leaseMs: 60_000 });
      expect(takeover.number).to.equal(2);
      const detail = await getTask(fork(), task.id);
      expect(detail!.attempts.map((attempt) => [attempt.number, attempt.outcome, attempt.owner])).to.deep.equal([
        [1, 'abandoned', 'instance-a'],
        [2, null, 'instance-b'],
      ]);
      expect(detail!.attempts[0]!.finishedAt).to.be.instanceOf(Date);
      expect(detail!.attempts[0]!.error).to.match(/^abandoned: instance instance-a stopped renewing its lease; taken over \d+ s after it ran out$/);
      expect(detail!.attempts[1]!.leaseExpiresAt!.getTime()).to.be.greaterThan(Date.now() + 50_000);
    });

    it('lets only the owner that gave an attempt up take it back before its lease runs out', async () => {
      const { task } = await createTaskOnce(fork(), analysis());
      await startAttempt(fork(), task.id, { owner: 'instance-a', leaseMs: 60_000 });
      const reclaim = new Map([[task.id, 1]]);
      await expectAppError(startAttempt(fork(), task.id, { owner: 'instance-b', leaseMs: 60_000, reclaim }), 'conflict');
      const again = await startAttempt(fork(), task.id, { owner: 'instance-a', leaseMs: 60_000, reclaim });
      expect(again.number).to.equal(2);
      const [first] = (await getTask(fork(), task.id))!.attempts;
      expect(first).to.include({ outcome: 'abandoned', error: 'abandoned: instance instance-a could not record its outcome' });
    });

    it('gives an attempt from before leases the task\'s last write plus the lease length', async () => {
      const { task } = await createTaskOnce(fork(), analysis());
      await startAttempt(fork(), task.id);
      await fork().execute(`update "task_attempts" set "lease_expires_at" = null, "owner" = null where "task_id" = ?`, [task.id]);
      await expectAppError(startAttempt(fork(), task.id, { leaseMs: 60_000 }), 'conflict');
      await age(task.id, 2);
      const takeover = await startAttempt(fork(), task.id, { leaseMs: 60_000 });
      expect(takeover.number).to.equal(2);
      expect((await getTask(fork(), task.id))!.attempts[0]!.error).to.equal(
        'abandoned: its worker stopped renewing its lease; taken over 60 s after it ran out',
      );
    });

    it('refuses a finished task until an operator retries it, and an unknown one', async () => {
      const { task } = await createTaskOnce(fork(), analysis());
      const { number } = await startAttempt(fork(), task.id);
      await finishAttempt(fork(), task.id, number, 'succeeded', { status: 'succeeded' });
      await expectAppError(startAttempt(fork(), task.id), 'conflict');
      await expectAppError(startAttempt(fork(), randomUUID()), 'not_found');
      await expectAppError(startAttempt(fork(), 'not-a-uuid'), 'not_found');
    });

    it('starts a whole list in one call and answers per task, in the order given', async () => {
      const [queued, running, done] = await Promise.all([1, 2, 3].map(async () => (await createTaskOnce(fork(), analysis())).task));
      await startAttempt(fork(), running!.id, { owner: 'instance-a', leaseMs: 60_000 });
      await finishAttempt(fork(), done!.id, (await startAttempt(fork(), done!.id)).number, 'succeeded', { status: 'succeeded' });
      const unknown = randomUUID();

      const starts = await startAttempts(fork(), [unknown, done!.id, queued!.id, running!.id], { owner: 'instance-b', leaseMs: 60_000 });

      expect(starts.map((start) => (start.started ? ['started', start.attempt.task.id, start.attempt.number] : [start.error.code, start.status ?? null]))).to.deep.equal([
        ['not_found', null],
        ['conflict', 'succeeded'],
        ['started', queued!.id, 1],
        ['conflict', 'running'],
      ]);
      const refusedRunning = starts[3]!;
      expect(!refusedRunning.started && refusedRunning.leaseLeftMs).to.be.within(50_000, 60_000);
      expect(await startAttempts(fork(), [])).to.deep.equal([]);
    });
  });

  describe('finishAttempts', () => {
    it('records a success with reason and findings, clearing the last error', async () => {
      const { task } = await createTaskOnce(fork(), analysis());
      const first = await startAttempt(fork(), task.id);
      await finishAttempt(fork(), task.id, first.number, 'retrying', { status: 'retrying', error: 'rate_limited: GitHub' });
      const second = await startAttempt(fork(), task.id);
      expect(second.number).to.equal(2);
      const counted = transitions();
      const done = await finishAttempt(
        fork(),
        task.id,
        second.number,
        'succeeded',
        { status: 'succeeded', reason: 'The lint check failed on two files.', findings: { failures: ['lint'] } },
        counted,
      );
      expect(done).to.include({ status: 'succeeded', lastError: null, reason: 'The lint check failed on two files.' });
      expect(done.findings).to.deep.equal({ failures: ['lint'] });
      expect(counted.seen).to.deep.equal([['check_failure_analysis', 'succeeded']]);
      const detail = await getTask(fork(), task.id);
      expect(detail!.attempts.map((attempt) => [attempt.number, attempt.outcome, attempt.error])).to.deep.equal([
        [1, 'retrying', 'rate_limited: GitHub'],
        [2, 'succeeded', null],
      ]);
      expect(detail!.attempts.every((attempt) => attempt.finishedAt instanceof Date)).to.equal(true);
    });

    it('records a failure as the last error', async () => {
      const { task } = await createTaskOnce(fork(), analysis());
      const { number } = await startAttempt(fork(), task.id);
      const dead = await finishAttempt(fork(), task.id, number, 'dead', { status: 'dead', error: 'permanent_failure: 404' });
      expect(dead).to.include({ status: 'dead', lastError: 'permanent_failure: 404' });
    });

    it('keeps a codegen trigger running while its run is followed, with the run recorded', async () => {
      const { task } = await findOrCreateCodegenTrigger(fork(), {
        repository: uniqueRepo(),
        headSha: 'b'.repeat(40),
        purpose: 'fix',
        deliveryId: randomUUID(),
        eventType: 'check_run',
        pullRequestNumber: 1,
      });
      const { number } = await startAttempt(fork(), task.id);
      const counted = transitions();
      const running = await finishAttempt(
        fork(),
        task.id,
        number,
        'succeeded',
        { status: 'running', codegenRunId: 9_007_199_254, codegenRunStatus: 'ACTIVE', codegenWebUrl: 'https://codegen.com/run/1' },
        counted,
      );
      expect(running).to.include({ status: 'running', codegenRunId: 9_007_199_254, codegenRunStatus: 'ACTIVE' });
      expect(counted.seen).to.deep.equal([]);
    });

    it('refuses an attempt that is no longer current (a stale worker must not overwrite its successor)', async () => {
      const { task } = await createTaskOnce(fork(), analysis());
      const first = await startAttempt(fork(), task.id);
      await expireLease(task.id);
      const second = await startAttempt(fork(), task.id);
      await expectAppError(finishAttempt(fork(), task.id, first.number, 'succeeded', { status: 'succeeded' }), 'conflict');
      const done = await finishAttempt(fork(), task.id, second.number, 'succeeded', { status: 'succeeded' });
      expect(done.status).to.equal('succeeded');
    });
  });

  describe('finishAttempts', () => {
    it('closes a whole list in one call and answers per attempt, in the order given: the task, or why not', async () => {
      const [a, b, stale] = await Promise.all([1, 2, 3].map(async () => (await createTaskOnce(fork(), analysis())).task));
      const first = await startAttempt(fork(), a!.id);
      const second = await startAttempt(fork(), b!.id);
      await startAttempt(fork(), stale!.id);
      await expireLease(stale!.id);
      await startAttempt(fork(), stale!.id);

      const results = await finishAttempts(fork(), [
        { taskId: b!.id, number: second.number, outcome: 'failed', result: { status: 'failed', error: 'boom' } },
        { taskId: stale!.id, number: 1, outcome: 'succeeded', result: { status: 'succeeded' } },
        { taskId: randomUUID(), number: 1, outcome: 'succeeded', result: { status: 'succeeded' } },
        { taskId: a!.id, number: first.number, outcome: 'succeeded', result: { status: 'succeeded', reason: 'fine' } },
      ]);

      expect(results.map((result) => (result instanceof AppError ? result.code : [result.id, result.status, result.lastError]))).to.deep.equal([
        [b!.id, 'failed', 'boom'],
        'conflict',
        'not_found',
        [a!.id, 'succeeded', null],
      ]);
      expect((results[1] as AppError).details).to.deep.include({ number: 1, status: 'running', attemptCount: 2 });
    });
  });

});
