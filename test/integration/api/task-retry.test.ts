import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { taskViewSchema } from '../../../src/api/schemas/task-schemas.js';
import { AppError } from '../../../src/errors/app-error.js';
import {
  createTaskOnce,
  findOrCreateCodegenTrigger,
  finishAttempt,
  getTask,
  startAttempt,
} from '../../../src/effects/db/task-store.js';
import type { TaskStatus } from '../../../src/effects/db/entities/task.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database.js';
import { TASK_FIELDS, startApiHarness, type ApiHarness } from './management-api-harness.js';

describe('POST /api/v1/tasks/:id/retry', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let api: ApiHarness;
  const fork = () => db.orm.em.fork();

  before(async () => {
    db = await createTestDatabase();
  });
  beforeEach(async () => {
    api = await startApiHarness(db);
  });
  afterEach(async () => {
    await api?.close();
  });
  after(async () => {
    await db?.close();
  });

  /** A check failure analysis brought to `status` through the stores. */
  async function taskIn(status: Extract<TaskStatus, 'queued' | 'running' | 'failed' | 'dead' | 'skipped' | 'succeeded'>) {
    const { task } = await createTaskOnce(fork(), {
      taskType: 'check_failure_analysis',
      repository: 'acme/retries',
      deliveryId: randomUUID(),
      eventType: 'check_run',
      action: 'completed',
    });
    if (status === 'queued') return task;
    const { number } = await startAttempt(fork(), task.id);
    if (status === 'running') return (await getTask(fork(), task.id))!.task;
    const outcome = status === 'failed' ? 'failed' : status;
    return finishAttempt(fork(), task.id, number, outcome, { status, error: status === 'succeeded' ? null : `it was ${status}` });
  }

  for (const status of ['failed', 'dead', 'skipped'] as const) {
    it(`re-queues a ${status} task: 202 with the task, then publishes it through requeueTask`, async () => {
      const task = await taskIn(status);
      const answer = await api.call('POST', `/api/v1/tasks/${task.id}/retry`);
      expect(answer.status).to.equal(202);
      expect(Object.keys(answer.body)).to.have.members(TASK_FIELDS);
      expect(() => taskViewSchema.parse(answer.body)).not.to.throw();
      expect(answer.body).to.include({ id: task.id, status: 'queued', last_error: null, attempt_count: 1 });
      expect(api.ports.requeueTask.calledOnce).to.equal(true);
      const [published] = api.ports.requeueTask.firstCall.args;
      expect(published).to.include({ id: task.id, status: 'queued', taskType: 'check_failure_analysis', lastError: null });
      expect(api.onTransition.calledOnceWithExactly('check_failure_analysis', 'queued')).to.equal(true);
      expect((await getTask(fork(), task.id))!.task.status).to.equal('queued');
      const audit = api.lines.map((line) => JSON.parse(line)).find((record) => record.msg === 'task retried by an operator');
      expect(audit).to.include({ task_id: task.id, previous_status: status, component: 'management-api' });
      expect(audit.correlation_id).to.equal(answer.headers.get('x-request-id'));
    });
  }

  it('makes a codegen_trigger forget its run, so that a new Codegen run starts', async () => {
    const { task } = await findOrCreateCodegenTrigger(fork(), {
      purpose: 'fix',
      repository: 'acme/retries',
      deliveryId: randomUUID(),
      eventType: 'check_run',
      headSha: 'c'.repeat(40),
    });
    const { number } = await startAttempt(fork(), task.id);
    await finishAttempt(fork(), task.id, number, 'failed', {
      status: 'failed',
      error: 'run failed',
      codegenRunId: 55,
      codegenRunStatus: 'FAILED',
      codegenWebUrl: 'https://codegen.com/agent/trace/55',
    });
    const answer = await api.call('POST', `/api/v1/tasks/${task.id}/retry`);
    expect(answer.status).to.equal(202);
    expect(answer.body).to.include({ status: 'queued', codegen_run: null, task_type: 'codegen_trigger' });
  });

  it('answers 409 conflict for a task running under a live lease and publishes nothing', async () => {
    const task = await taskIn('running');
    const answer = await api.call('POST', `/api/v1/tasks/${task.id}/retry`);
    expect(answer.status).to.equal(409);
    expect(answer.body.error.code).to.equal('conflict');
    expect(answer.body.error.message).to.include('it is running');
    expect(api.ports.requeueTask.called).to.equal(false);
    expect((await getTask(fork(), task.id))!.task.status).to.equal('running');
  });

  it('re-queues a running task whose worker stopped renewing its lease (provably abandoned), closing its attempt', async () => {
    const task = await taskIn('running');
    const live = await api.call('POST', `/api/v1/tasks/${task.id}/retry`);
    expect(live.status).to.equal(409);
    expect(live.body.error.message).to.match(/it is running \(its worker's lease has \d+ s left\)/);
    await fork().execute(`update "task_attempts" set "lease_expires_at" = now() - interval '1 second' where "task_id" = ?`, [task.id]);
    const answer = await api.call('POST', `/api/v1/tasks/${task.id}/retry`);
    expect(answer.status).to.equal(202);
    expect(answer.body).to.include({ id: task.id, status: 'queued', attempt_count: 1 });
    expect(api.ports.requeueTask.calledOnce).to.equal(true);
    const [attempt] = (await getTask(fork(), task.id))!.attempts;
    expect(attempt).to.include({ outcome: 'abandoned', error: 'abandoned: its worker stopped renewing its lease; retried by an operator' });
    const audit = api.lines.map((line) => JSON.parse(line)).find((record) => record.msg === 'task retried by an operator');
    expect(audit).to.include({ task_id: task.id, previous_status: 'running' });
  });

  for (const status of ['queued', 'succeeded'] as const) {
    it(`answers 409 conflict for a ${status} task`, async () => {
      const task = await taskIn(status);
      const answer = await api.call('POST', `/api/v1/tasks/${task.id}/retry`);
      expect(answer.status).to.equal(409);
      expect(answer.body.error.message).to.include(`it is ${status}`);
      expect(api.ports.requeueTask.called).to.equal(false);
    });
  }

  it('answers 404 for an unknown task and 400 naming id for a non-UUID, publishing nothing', async () => {
    const unknown = await api.call('POST', `/api/v1/tasks/${randomUUID()}/retry`);
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.code).to.equal('not_found');
    const malformed = await api.call('POST', '/api/v1/tasks/not-a-uuid/retry');
    expect(malformed.status).to.equal(400);
    expect(malformed.body.error.message).to.equal('id: must be a UUID');
    expect(api.ports.requeueTask.called).to.equal(false);
  });

  it('puts the task back as it was when the message cannot be published, so it can be retried again', async () => {
    const task = await taskIn('dead');
    api.ports.requeueTask.rejects(new AppError('unavailable', 'NATS did not acknowledge', { retryAfterSeconds: 5 }));
    const refused = await api.call('POST', `/api/v1/tasks/${task.id}/retry`);
    expect(refused.status).to.equal(503);
    expect(refused.headers.get('retry-after')).to.equal('5');
    expect(refused.body.error.code).to.equal('unavailable');
    const restored = (await getTask(fork(), task.id))!.task;
    expect(restored).to.include({ status: 'dead', lastError: 'it was dead' });
    expect(api.onTransition.args).to.deep.equal([
      ['check_failure_analysis', 'queued'],
      ['check_failure_analysis', 'dead'],
    ]);

    api.ports.requeueTask.resolves(undefined);
    const again = await api.call('POST', `/api/v1/tasks/${task.id}/retry`);
    expect(again.status).to.equal(202);
    expect(again.body.status).to.equal('queued');
  });

  it('hides an unexpected publishing failure behind a 500 and still restores the task', async () => {
    const task = await taskIn('failed');
    api.ports.requeueTask.rejects(new Error('socket hang up at 10.0.0.7'));
    const answer = await api.call('POST', `/api/v1/tasks/${task.id}/retry`);
    expect(answer.status).to.equal(500);
    expect(answer.body.error.code).to.equal('internal_error');
    expect(answer.body.error.message).not.to.include('10.0.0.7');
    expect((await getTask(fork(), task.id))!.task.status).to.equal('failed');
  });
});
