import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  countFixRuns,
  createTaskOnce,
  findOrCreateCodegenTrigger,
  finishAttempt,
  getTask,
  listTasks,
  retryTask,
  markTaskDead,
  startAttempt,
  transitionTask,
  type CreateTaskInput,
} from '../../../../src/effects/db/task-store.js';
import { analysisTask, expectAppError, expireLease as expireLeaseOf, recordTransitions } from '../../../helpers/task-fixtures.js';
import { useTestDatabase } from '../../../helpers/test-database.js';

describe('task-store', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  const fork = () => db().orm.em.fork();
  const uniqueRepo = () => `acme/${randomUUID().slice(0, 8)}`;
  const analysis = analysisTask;
  const transitions = recordTransitions;
  const expireLease = (taskId: string) => expireLeaseOf(fork(), taskId);

  describe('createTaskOnce', () => {
    it('creates a queued task with what the handler needs, and reports the transition', async () => {
      const counted = transitions();
      const input = analysis();
      const { task, created } = await createTaskOnce(fork(), input, counted);
      expect(created).to.equal(true);
      expect(task.id).to.match(/^[0-9a-f-]{36}$/);
      expect(task).to.include({
        taskType: 'check_failure_analysis',
        status: 'queued',
        repository: 'acme/widgets',
        deliveryId: input.deliveryId,
        attemptCount: 0,
        pullRequestNumber: 7,
        purpose: null,
        lastError: null,
        codegenRunId: null,
      });
      expect(task.input).to.deep.equal({ checkRunNodeId: 'CR_1', installationId: 99 });
      expect(counted.seen).to.deep.equal([['check_failure_analysis', 'queued']]);
    });

    it('returns the existing task for the same delivery and type, and creates one per type', async () => {
      const input = analysis();
      const first = await createTaskOnce(fork(), input);
      const counted = transitions();
      const again = await createTaskOnce(fork(), { ...input, reason: 'redelivered' }, counted);
      const otherType = await createTaskOnce(fork(), { ...input, taskType: 'pull_request_analysis' });
      expect(again).to.deep.include({ created: false });
      expect(again.task.id).to.equal(first.task.id);
      expect(again.task.reason).to.equal(null);
      expect(counted.seen).to.deep.equal([]);
      expect(otherType.created).to.equal(true);
      expect(otherType.task.id).to.not.equal(first.task.id);
    });

    it('refuses codegen_trigger, whose key is the head SHA', async () => {
      const input = { ...analysis(), taskType: 'codegen_trigger' } as unknown as CreateTaskInput;
      try {
        await createTaskOnce(fork(), input);
        expect.fail('createTaskOnce accepted a codegen_trigger');
      } catch (error) {
        expect(error).to.be.instanceOf(TypeError);
      }
    });
  });

  describe('findOrCreateCodegenTrigger', () => {
    it('shares one trigger per (repository, head SHA, purpose)', async () => {
      const repository = uniqueRepo();
      const headSha = randomUUID().replace(/-/g, '');
      const base = { repository, headSha, pullRequestNumber: 3, eventType: 'check_run', action: 'completed' };
      const first = await findOrCreateCodegenTrigger(fork(), { ...base, purpose: 'fix', deliveryId: randomUUID() });
      const second = await findOrCreateCodegenTrigger(fork(), { ...base, purpose: 'fix', deliveryId: randomUUID() });
      const review = await findOrCreateCodegenTrigger(fork(), { ...base, purpose: 'review', deliveryId: randomUUID() });
      const otherHead = await findOrCreateCodegenTrigger(fork(), {
        ...base,
        headSha: `${headSha}0`,
        purpose: 'fix',
        deliveryId: randomUUID(),
      });
      expect(first.created).to.equal(true);
      expect(first.task).to.include({ taskType: 'codegen_trigger', purpose: 'fix', headSha, status: 'queued' });
      expect(second.created).to.equal(false);
      expect(second.task.id).to.equal(first.task.id);
      expect(second.task.deliveryId).to.equal(first.task.deliveryId);
      expect(review.created).to.equal(true);
      expect(otherHead.created).to.equal(true);
      expect(new Set([first.task.id, review.task.id, otherHead.task.id]).size).to.equal(3);
    });

    it('is backed by the database: a trigger without head SHA or purpose cannot exist', async () => {
      const insert = fork().execute(
        `insert into "tasks" ("task_type", "repository", "delivery_id", "event_type") values ('codegen_trigger', 'a/b', 'd', 'check_run')`,
      );
      try {
        await insert;
        expect.fail('the database accepted a codegen_trigger without a head SHA');
      } catch (error) {
        expect(String(error)).to.include('tasks_codegen_trigger_key_check');
      }
    });
  });

  describe('transitionTask', () => {
    it('sets status and patch, null clears, undefined leaves alone, and counts only real transitions', async () => {
      const { task } = await createTaskOnce(fork(), analysis({ reason: 'initial' }));
      const counted = transitions();
      const skipped = await transitionTask(
        fork(),
        task.id,
        'skipped',
        { reason: 'older head than the one analysed', findings: { stale: true }, lastError: 'x' },
        counted,
      );
      expect(skipped).to.include({ status: 'skipped', reason: 'older head than the one analysed', lastError: 'x' });
      const same = await transitionTask(fork(), task.id, 'skipped', { lastError: null }, counted);
      expect(same).to.include({ status: 'skipped', lastError: null, reason: 'older head than the one analysed' });
      expect(same.findings).to.deep.equal({ stale: true });
      expect(same.updatedAt.getTime()).to.be.at.least(skipped.updatedAt.getTime());
      expect(counted.seen).to.deep.equal([['check_failure_analysis', 'skipped']]);
    });

    it('links an analysis to its trigger and records the run result', async () => {
      const { task: trigger } = await findOrCreateCodegenTrigger(fork(), {
        repository: uniqueRepo(),
        headSha: 'c'.repeat(40),
        purpose: 'review',
        deliveryId: randomUUID(),
        eventType: 'pull_request',
      });
      const { task } = await createTaskOnce(fork(), analysis());
      const linked = await transitionTask(fork(), task.id, 'succeeded', { triggerTaskId: trigger.id });
      expect(linked.triggerTaskId).to.equal(trigger.id);
      const finished = await transitionTask(fork(), trigger.id, 'succeeded', {
        codegenRunId: 17,
        codegenRunStatus: 'COMPLETE',
        codegenResult: 'Opened a review with 3 comments.',
      });
      expect(finished).to.include({ codegenRunId: 17, codegenResult: 'Opened a review with 3 comments.' });
    });

    it('refuses when the task is not in an expected status, and for an unknown id', async () => {
      const { task } = await createTaskOnce(fork(), analysis());
      await expectAppError(transitionTask(fork(), task.id, 'succeeded', {}, { from: ['running'] }), 'conflict');
      expect((await getTask(fork(), task.id))!.task.status).to.equal('queued');
      await expectAppError(transitionTask(fork(), randomUUID(), 'failed'), 'not_found');
    });
  });

  describe('retryTask', () => {
    it('re-queues a failed task and clears its last error', async () => {
      const { task } = await createTaskOnce(fork(), analysis());
      const { number } = await startAttempt(fork(), task.id);
      await finishAttempt(fork(), task.id, number, 'failed', { status: 'failed', error: 'boom' });
      const counted = transitions();
      const retried = await retryTask(fork(), task.id, counted);
      expect(retried).to.include({ status: 'queued', lastError: null, attemptCount: 1 });
      expect(counted.seen).to.deep.equal([['check_failure_analysis', 'queued']]);
      const again = await startAttempt(fork(), task.id);
      expect(again.number).to.equal(2);
    });

    it('re-queues dead and skipped tasks; a retried codegen trigger forgets its run', async () => {
      const { task: dead } = await createTaskOnce(fork(), analysis());
      await transitionTask(fork(), dead.id, 'dead');
      expect((await retryTask(fork(), dead.id)).status).to.equal('queued');

      const { task: trigger } = await findOrCreateCodegenTrigger(fork(), {
        repository: uniqueRepo(),
        headSha: 'd'.repeat(40),
        purpose: 'fix',
        deliveryId: randomUUID(),
        eventType: 'check_suite',
      });
      await transitionTask(fork(), trigger.id, 'skipped', { codegenRunId: 5, codegenRunStatus: 'FAILED', codegenWebUrl: 'u' });
      const retried = await retryTask(fork(), trigger.id);
      expect(retried).to.include({ status: 'queued', codegenRunId: null, codegenRunStatus: null, codegenWebUrl: null });
    });

    it('answers 409 for a task running under a live lease and for any status but failed, dead or skipped; 404 for unknown', async () => {
      const { task } = await createTaskOnce(fork(), analysis());
      await expectAppError(retryTask(fork(), task.id), 'conflict');
      await startAttempt(fork(), task.id);
      const running = await expectAppError(retryTask(fork(), task.id), 'conflict');
      expect(running.message).to.include('running');
      expect((running as unknown as { status: number }).status).to.equal(409);
      await expectAppError(retryTask(fork(), randomUUID()), 'not_found');
      await expectAppError(retryTask(fork(), 'nope'), 'not_found');
    });

    it('re-queues a running task whose lease has run out, closing its attempt abandoned', async () => {
      const { task } = await createTaskOnce(fork(), analysis());
      await startAttempt(fork(), task.id, { owner: 'instance-gone' });
      await expireLease(task.id);
      const retried = await retryTask(fork(), task.id);
      expect(retried).to.include({ status: 'queued', attemptCount: 1 });
      const [attempt] = (await getTask(fork(), task.id))!.attempts;
      expect(attempt).to.include({ outcome: 'abandoned', error: 'abandoned: its worker stopped renewing its lease; retried by an operator' });
      expect((await startAttempt(fork(), task.id)).number).to.equal(2);
    });
  });

  describe('markTaskDead', () => {
    it('marks the task dead with the reason and closes its open attempt dead', async () => {
      const { task } = await createTaskOnce(fork(), analysis());
      await startAttempt(fork(), task.id);
      const dead = await markTaskDead(fork(), task.id, 'gave up after 20 deliveries');
      expect(dead).to.include({ status: 'dead', lastError: 'gave up after 20 deliveries' });
      const [attempt] = (await getTask(fork(), task.id))!.attempts;
      expect(attempt).to.include({ outcome: 'dead', error: 'gave up after 20 deliveries' });
      expect(attempt!.finishedAt).to.be.instanceOf(Date);
    });
  });

  describe('listTasks', () => {
    it('pages newest first with the total, without overlap', async () => {
      const repository = uniqueRepo();
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) ids.push((await createTaskOnce(fork(), analysis({ repository }))).task.id);
      const pages = await Promise.all(
        [0, 2, 4].map((offset) => listTasks(fork(), { repository }, { limit: 2, offset })),
      );
      expect(pages.map((page) => page.total)).to.deep.equal([5, 5, 5]);
      expect(pages.map((page) => page.rows.length)).to.deep.equal([2, 2, 1]);
      expect(pages.flatMap((page) => page.rows.map((row) => row.id))).to.deep.equal([...ids].reverse());
    });

    it('filters by status, task type, repository and delivery id, each and together', async () => {
      const repository = uniqueRepo();
      const deliveryId = randomUUID();
      const a = (await createTaskOnce(fork(), analysis({ repository, deliveryId }))).task;
      const b = (await createTaskOnce(fork(), analysis({ repository, deliveryId, taskType: 'pull_request_analysis' }))).task;
      const c = (await createTaskOnce(fork(), analysis({ repository, taskType: 'push_analysis' }))).task;
      const elsewhere = (await createTaskOnce(fork(), analysis({ repository: uniqueRepo(), deliveryId: randomUUID() }))).task;
      await transitionTask(fork(), b.id, 'failed');
      await transitionTask(fork(), elsewhere.id, 'failed');
      const ids = async (filters: Parameters<typeof listTasks>[1]) =>
        (await listTasks(fork(), filters, { limit: 1000, offset: 0 })).rows.map((row) => row.id).sort();

      expect(await ids({ repository })).to.deep.equal([a.id, b.id, c.id].sort());
      expect(await ids({ deliveryId })).to.deep.equal([a.id, b.id].sort());
      expect(await ids({ repository, status: 'failed' })).to.deep.equal([b.id]);
      expect(await ids({ repository, taskType: 'push_analysis' })).to.deep.equal([c.id]);
      expect(await ids({ deliveryId, taskType: 'check_failure_analysis', status: 'queued' })).to.deep.equal([a.id]);
      const failed = await listTasks(fork(), { status: 'failed' }, { limit: 1000, offset: 0 });
      expect(failed.rows.every((row) => row.status === 'failed')).to.equal(true);
      expect(failed.rows.map((row) => row.id)).to.include.members([b.id, elsewhere.id]);
      const pushes = await listTasks(fork(), { taskType: 'push_analysis' }, { limit: 1000, offset: 0 });
      expect(pushes.rows.every((row) => row.taskType === 'push_analysis')).to.equal(true);
      expect(pushes.total).to.equal(pushes.rows.length);
    });
  });

  describe('getTask', () => {
    it('returns null for an unknown id or a non-UUID', async () => {
      expect(await getTask(fork(), randomUUID())).to.equal(null);
      expect(await getTask(fork(), '../etc')).to.equal(null);
    });
  });

  describe('countFixRuns', () => {
    it('counts fix triggers of the pull request that ran or may run, not skipped or run-less failures', async () => {
      const repository = uniqueRepo();
      const trigger = async (headSha: string, purpose: 'fix' | 'review' = 'fix', pullRequestNumber = 11) =>
        (await findOrCreateCodegenTrigger(fork(), {
          repository,
          headSha,
          purpose,
          pullRequestNumber,
          deliveryId: randomUUID(),
          eventType: 'check_run',
        })).task;
      expect(await countFixRuns(fork(), repository, 11)).to.equal(0);
      await trigger('1'.repeat(40));
      const ran = await trigger('2'.repeat(40));
      await transitionTask(fork(), ran.id, 'failed', { codegenRunId: 100 });
      const skipped = await trigger('3'.repeat(40));
      await transitionTask(fork(), skipped.id, 'skipped');
      const runless = await trigger('4'.repeat(40));
      await transitionTask(fork(), runless.id, 'failed');
      await trigger('5'.repeat(40), 'review');
      await trigger('6'.repeat(40), 'fix', 12);
      expect(await countFixRuns(fork(), repository, 11)).to.equal(2);
      expect(await countFixRuns(fork(), repository, 12)).to.equal(1);
    });
  });
});
