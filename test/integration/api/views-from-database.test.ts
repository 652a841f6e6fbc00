import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { getDelivery, recordDeliveryReceived, setDeliveryOutcome } from '../../../src/effects/db/delivery-store.js';
import { toDeliveryView } from '../../../src/api/delivery-view.js';
import { toTaskView } from '../../../src/api/task-view.js';
import {
  createTaskOnce,
  findOrCreateCodegenTrigger,
  finishAttempt,
  getTask,
  startAttempt,
  transitionTask,
} from '../../../src/effects/db/task-store.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database.js';

// The API's fields, field for field.
const TASK_FIELDS = [
  'id', 'task_type', 'status', 'repository', 'delivery_id', 'event_type', 'action', 'pull_request_number',
  'head_sha', 'attempt_count', 'last_error', 'reason', 'codegen_run', 'created_at', 'updated_at',
];
const ATTEMPT_FIELDS = ['number', 'started_at', 'finished_at', 'outcome', 'error'];
const DELIVERY_FIELDS = [
  'delivery_id', 'event_type', 'action', 'repository', 'installation_id', 'hook_id', 'stream_seq', 'outcome',
  'received_at', 'processed_at', 'error',
];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('the API views of rows read from PostgreSQL', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  const fork = () => db.orm.em.fork();

  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.close();
  });

  it('shows a task written through the stores with exactly the API\'s fields', async () => {
    const deliveryId = randomUUID();
    const { task } = await createTaskOnce(fork(), {
      taskType: 'check_failure_analysis',
      repository: 'acme/widgets',
      deliveryId,
      eventType: 'check_run',
      action: 'completed',
      pullRequestNumber: 12,
      headSha: 'f'.repeat(40),
    });
    const { number } = await startAttempt(fork(), task.id);
    await finishAttempt(fork(), task.id, number, 'succeeded', {
      status: 'succeeded',
      reason: 'Unit tests failed in parser.test.ts.',
      findings: { failedChecks: ['unit'] },
    });
    const detail = await getTask(fork(), task.id);
    const listed = toTaskView(detail!.task);
    expect(Object.keys(listed)).to.have.members(TASK_FIELDS);
    expect(listed).to.deep.include({
      id: task.id,
      task_type: 'check_failure_analysis',
      status: 'succeeded',
      repository: 'acme/widgets',
      delivery_id: deliveryId,
      event_type: 'check_run',
      action: 'completed',
      pull_request_number: 12,
      head_sha: 'f'.repeat(40),
      attempt_count: 1,
      last_error: null,
      reason: 'Unit tests failed in parser.test.ts.',
      codegen_run: null,
    });
    expect(listed.created_at).to.match(ISO);
    expect(listed.updated_at).to.match(ISO);

    const full = toTaskView(detail!.task, detail!.attempts);
    expect(Object.keys(full)).to.have.members([...TASK_FIELDS, 'findings', 'codegen_result', 'attempts']);
    expect(full.findings).to.deep.equal({ failedChecks: ['unit'] });
    expect(full.codegen_result).to.equal(null);
    expect(full.attempts).to.have.length(1);
    expect(Object.keys(full.attempts[0]!)).to.have.members(ATTEMPT_FIELDS);
    expect(full.attempts[0]).to.include({ number: 1, outcome: 'succeeded', error: null });
    expect(full.attempts[0]!.started_at).to.match(ISO);
    expect(full.attempts[0]!.finished_at).to.match(ISO);
    expect(JSON.parse(JSON.stringify(full))).to.deep.equal(full);
  });

  it('shows a Codegen run as {id, status, web_url} with a numeric id', async () => {
    const { task } = await findOrCreateCodegenTrigger(fork(), {
      repository: 'acme/widgets',
      headSha: 'e'.repeat(40),
      purpose: 'fix',
      deliveryId: randomUUID(),
      eventType: 'check_run',
    });
    await transitionTask(fork(), task.id, 'running', {
      codegenRunId: 123_456_789_012,
      codegenRunStatus: 'ACTIVE',
      codegenWebUrl: 'https://codegen.com/agent/trace/1',
    });
    const view = toTaskView((await getTask(fork(), task.id))!.task);
    expect(view.codegen_run).to.deep.equal({ id: 123_456_789_012, status: 'ACTIVE', web_url: 'https://codegen.com/agent/trace/1' });
    await transitionTask(fork(), task.id, 'succeeded', { codegenRunStatus: 'COMPLETE', codegenResult: 'Fixed the parser test.' });
    const detail = (await getTask(fork(), task.id))!;
    expect(toTaskView(detail.task, detail.attempts).codegen_result).to.equal('Fixed the parser test.');
  });

  it('shows a delivery with exactly the API\'s fields, and its tasks in the detail', async () => {
    const deliveryId = randomUUID();
    await recordDeliveryReceived(fork(), {
      deliveryId,
      eventType: 'pull_request',
      action: 'opened',
      repository: 'acme/widgets',
      installationId: 5_000_000_001,
      hookId: '987',
      streamSeq: 31,
    });
    const { task } = await createTaskOnce(fork(), {
      taskType: 'pull_request_analysis',
      repository: 'acme/widgets',
      deliveryId,
      eventType: 'pull_request',
      action: 'opened',
    });
    await setDeliveryOutcome(fork(), deliveryId, 'processed');
    const detail = await getDelivery(fork(), deliveryId);

    const listed = toDeliveryView(detail!.delivery);
    expect(Object.keys(listed)).to.have.members(DELIVERY_FIELDS);
    expect(listed).to.deep.include({
      delivery_id: deliveryId,
      event_type: 'pull_request',
      action: 'opened',
      repository: 'acme/widgets',
      installation_id: 5_000_000_001,
      hook_id: '987',
      stream_seq: 31,
      outcome: 'processed',
      error: null,
    });
    expect(listed.received_at).to.match(ISO);
    expect(listed.processed_at).to.match(ISO);

    const full = toDeliveryView(detail!.delivery, detail!.tasks);
    expect(Object.keys(full)).to.have.members([...DELIVERY_FIELDS, 'tasks']);
    expect(full.tasks.map((view) => view.id)).to.deep.equal([task.id]);
    expect(Object.keys(full.tasks[0]!)).to.have.members(TASK_FIELDS);
  });
});
