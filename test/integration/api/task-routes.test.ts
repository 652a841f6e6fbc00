import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import { taskDetailSchema, taskListSchema } from '../../../src/api/schemas/task-schemas.js';
import type { TaskType } from '../../../src/effects/db/entities/task.js';
import {
  createTaskOnce,
  findOrCreateCodegenTrigger,
  finishAttempt,
  startAttempt,
  type CreateTaskInput,
} from '../../../src/effects/db/task-store.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database.js';
import {
  ATTEMPT_FIELDS,
  ERROR_FIELDS,
  TASK_DETAIL_FIELDS,
  TASK_FIELDS,
  startApiHarness,
  type ApiHarness,
} from './management-api-harness.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('GET /api/v1/tasks and /api/v1/tasks/:id', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let api: ApiHarness;
  const fork = () => db.orm.em.fork();
  const deliveries = { a: randomUUID(), b: randomUUID(), c: randomUUID() };
  /** Task ids in creation order (oldest first). */
  const ids: Record<string, string> = {};

  async function analysis(name: string, taskType: Exclude<TaskType, 'codegen_trigger'>, input: Partial<CreateTaskInput>) {
    const { task } = await createTaskOnce(fork(), {
      taskType,
      repository: 'acme/widgets',
      deliveryId: deliveries.a,
      eventType: 'pull_request',
      ...input,
    });
    ids[name] = task.id;
    await delay(5); // distinct created_at, so "newest first" is observable
    return task;
  }

  before(async () => {
    db = await createTestDatabase();
    api = await startApiHarness(db);
    await analysis('queuedPr', 'pull_request_analysis', { action: 'opened', pullRequestNumber: 7, headSha: 'a'.repeat(40) });
    const failed = await analysis('failedCheck', 'check_failure_analysis', {
      deliveryId: deliveries.b,
      eventType: 'check_run',
      action: 'completed',
    });
    const first = await startAttempt(fork(), failed.id);
    await finishAttempt(fork(), failed.id, first.number, 'failed', { status: 'failed', error: 'GraphQL said no' });
    const pushed = await analysis('succeededPush', 'push_analysis', { repository: 'acme/gadgets', deliveryId: deliveries.c, eventType: 'push' });
    const attempt = await startAttempt(fork(), pushed.id);
    await finishAttempt(fork(), pushed.id, attempt.number, 'succeeded', {
      status: 'succeeded',
      reason: 'Two commits to main; nothing to fix.',
      findings: { commits: 2, files: ['README.md'] },
    });
    const running = await analysis('runningPr', 'pull_request_analysis', { repository: 'acme/gadgets', deliveryId: deliveries.b });
    await startAttempt(fork(), running.id);
    const { task: trigger } = await findOrCreateCodegenTrigger(fork(), {
      purpose: 'fix',
      repository: 'acme/widgets',
      deliveryId: deliveries.b,
      eventType: 'check_run',
      headSha: 'b'.repeat(40),
      pullRequestNumber: 7,
    });
    ids.trigger = trigger.id;
    const run = await startAttempt(fork(), trigger.id);
    await finishAttempt(fork(), trigger.id, run.number, 'succeeded', {
      status: 'succeeded',
      codegenRunId: 987,
      codegenRunStatus: 'COMPLETE',
      codegenWebUrl: 'https://codegen.com/agent/trace/987',
    });
  });
  after(async () => {
    await api?.close();
    await db?.close();
  });

  const newestFirst = () => ['trigger', 'runningPr', 'succeededPush', 'failedCheck', 'queuedPr'].map((name) => ids[name]);

  it('lists every task newest first with total, limit and offset, each with exactly the API\'s fields', async () => {
    const answer = await api.call('GET', '/api/v1/tasks');
    expect(answer.status).to.equal(200);
    expect(answer.headers.get('cache-control')).to.equal('no-store');
    expect(Object.keys(answer.body)).to.have.members(['tasks', 'total', 'limit', 'offset']);
    expect(answer.body).to.include({ total: 5, limit: 50, offset: 0 });
    expect(answer.body.tasks.map((task: { id: string }) => task.id)).to.deep.equal(newestFirst());
    for (const task of answer.body.tasks) expect(Object.keys(task)).to.have.members(TASK_FIELDS);
    expect(() => taskListSchema.parse(answer.body)).not.to.throw();
    const queued = answer.body.tasks.find((task: { id: string }) => task.id === ids.queuedPr);
    expect(queued).to.deep.include({
      task_type: 'pull_request_analysis',
      status: 'queued',
      repository: 'acme/widgets',
      delivery_id: deliveries.a,
      event_type: 'pull_request',
      action: 'opened',
      pull_request_number: 7,
      head_sha: 'a'.repeat(40),
      attempt_count: 0,
      last_error: null,
      reason: null,
      codegen_run: null,
    });
    expect(queued.created_at).to.match(ISO);
    expect(queued.updated_at).to.match(ISO);
    const trigger = answer.body.tasks.find((task: { id: string }) => task.id === ids.trigger);
    expect(trigger.codegen_run).to.deep.equal({ id: 987, status: 'COMPLETE', web_url: 'https://codegen.com/agent/trace/987' });
  });

  it('pages with limit and offset: pages never overlap, total counts every match', async () => {
    const seen: string[] = [];
    for (const offset of [0, 2, 4]) {
      const answer = await api.call('GET', `/api/v1/tasks?limit=2&offset=${offset}`);
      expect(answer.status).to.equal(200);
      expect(answer.body).to.include({ total: 5, limit: 2, offset });
      expect(answer.body.tasks).to.have.length(offset === 4 ? 1 : 2);
      seen.push(...answer.body.tasks.map((task: { id: string }) => task.id));
    }
    expect(seen).to.deep.equal(newestFirst());
    const beyond = await api.call('GET', '/api/v1/tasks?limit=2&offset=10');
    expect(beyond.body).to.deep.equal({ tasks: [], total: 5, limit: 2, offset: 10 });
    const max = await api.call('GET', '/api/v1/tasks?limit=1000');
    expect(max.status).to.equal(200);
  });

  const filters: Array<[string, string[]]> = [
    ['status=failed', ['failedCheck']],
    ['status=running', ['runningPr']],
    ['task_type=push_analysis', ['succeededPush']],
    ['task_type=pull_request_analysis', ['runningPr', 'queuedPr']],
    ['repository=acme/gadgets', ['runningPr', 'succeededPush']],
    ['repository=acme%2Fwidgets&status=queued', ['queuedPr']],
    ['delivery_id=DELIVERY_B', ['trigger', 'runningPr', 'failedCheck']],
    ['delivery_id=DELIVERY_B&task_type=codegen_trigger', ['trigger']],
    ['status=dead', []],
  ];
  for (const [query, expected] of filters) {
    it(`filters by ${query}`, async () => {
      const answer = await api.call('GET', `/api/v1/tasks?${query.replace('DELIVERY_B', deliveries.b)}`);
      expect(answer.status).to.equal(200);
      expect(answer.body.tasks.map((task: { id: string }) => task.id)).to.deep.equal(expected.map((name) => ids[name]));
      expect(answer.body.total).to.equal(expected.length);
    });
  }

  it('treats empty query values as not given, as a form with empty fields sends them', async () => {
    const answer = await api.call('GET', '/api/v1/tasks?limit=&offset=&status=&task_type=&repository=&delivery_id=');
    expect(answer.status).to.equal(200);
    expect(answer.body).to.include({ total: 5, limit: 50, offset: 0 });
  });

  const invalid: Array<[string, string]> = [
    ['limit=1001', 'limit: must be at most 1000'],
    ['limit=0', 'limit: must be at least 1'],
    ['limit=ten', 'limit: must be a whole number'],
    ['limit=1e3', 'limit: must be a whole number'],
    ['offset=-1', 'offset: must be a whole number'],
    ['status=exploded', 'status: must be one of queued, running, retrying, succeeded, failed, skipped, dead'],
    ['task_type=lunch', 'task_type: must be one of'],
    ['repository=widgets', 'repository: must be owner/name'],
    ['delivery_id=has%20space', 'delivery_id: must be a GitHub delivery id'],
    ['colour=blue', 'colour: unknown query parameter'],
    ['limit=1&limit=2', 'limit: must be given at most once'],
  ];
  for (const [query, message] of invalid) {
    it(`answers ?${query} with 400 validation_failed naming the parameter`, async () => {
      const answer = await api.call('GET', `/api/v1/tasks?${query}`);
      expect(answer.status).to.equal(400);
      expect(Object.keys(answer.body)).to.deep.equal(['error']);
      expect(Object.keys(answer.body.error)).to.have.members(ERROR_FIELDS);
      expect(answer.body.error.code).to.equal('validation_failed');
      expect(answer.body.error.message).to.include(message);
      expect(answer.body.error.correlation_id).to.equal(answer.headers.get('x-request-id'));
    });
  }

  it('names every offending parameter at once', async () => {
    const answer = await api.call('GET', '/api/v1/tasks?limit=5000&status=nope&a=1&b=2');
    expect(answer.status).to.equal(400);
    const { message } = answer.body.error;
    expect(message).to.include('limit: must be at most 1000');
    expect(message).to.include('status: must be one of');
    expect(message).to.include('a, b: unknown query parameters');
  });

  it('shows a task\'s detail with exactly the API\'s fields, its findings and its attempts', async () => {
    const answer = await api.call('GET', `/api/v1/tasks/${ids.succeededPush}`);
    expect(answer.status).to.equal(200);
    expect(Object.keys(answer.body)).to.have.members(TASK_DETAIL_FIELDS);
    expect(() => taskDetailSchema.parse(answer.body)).not.to.throw();
    expect(answer.body).to.deep.include({
      id: ids.succeededPush,
      task_type: 'push_analysis',
      status: 'succeeded',
      repository: 'acme/gadgets',
      event_type: 'push',
      attempt_count: 1,
      reason: 'Two commits to main; nothing to fix.',
      findings: { commits: 2, files: ['README.md'] },
    });
    expect(answer.body.attempts).to.have.length(1);
    expect(Object.keys(answer.body.attempts[0])).to.have.members(ATTEMPT_FIELDS);
    expect(answer.body.attempts[0]).to.include({ number: 1, outcome: 'succeeded', error: null });
    expect(answer.body.attempts[0].started_at).to.match(ISO);
    expect(answer.body.attempts[0].finished_at).to.match(ISO);
  });

  it('shows a failed attempt\'s error and a running attempt with no end', async () => {
    const failed = await api.call('GET', `/api/v1/tasks/${ids.failedCheck}`);
    expect(failed.body).to.include({ status: 'failed', last_error: 'GraphQL said no', findings: null });
    expect(failed.body.attempts).to.deep.equal([
      { number: 1, started_at: failed.body.attempts[0].started_at, finished_at: failed.body.attempts[0].finished_at, outcome: 'failed', error: 'GraphQL said no' },
    ]);
    const running = await api.call('GET', `/api/v1/tasks/${ids.runningPr}`);
    expect(running.body.attempts).to.have.length(1);
    expect(running.body.attempts[0]).to.include({ number: 1, finished_at: null, outcome: null });
    const queued = await api.call('GET', `/api/v1/tasks/${ids.queuedPr}`);
    expect(queued.body.attempts).to.deep.equal([]);
  });

  it('answers an unknown task id with 404 not_found', async () => {
    const id = randomUUID();
    const answer = await api.call('GET', `/api/v1/tasks/${id}`);
    expect(answer.status).to.equal(404);
    expect(answer.body.error).to.include({ code: 'not_found', message: `task ${id} not found` });
  });

  it('answers a task id that is not a UUID with 400 naming id', async () => {
    const answer = await api.call('GET', '/api/v1/tasks/42');
    expect(answer.status).to.equal(400);
    expect(answer.body.error).to.include({ code: 'validation_failed', message: 'id: must be a UUID' });
  });

  it('refuses query parameters on the detail', async () => {
    const answer = await api.call('GET', `/api/v1/tasks/${ids.queuedPr}?verbose=1`);
    expect(answer.status).to.equal(400);
    expect(answer.body.error.message).to.equal('verbose: unknown query parameter');
  });
});
