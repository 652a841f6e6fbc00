import { expect } from 'chai';
import { deliveryDetailSchema, deliveryViewSchema } from '../../../../src/api/schemas/delivery-schemas.js';
import { taskDetailSchema, taskViewSchema } from '../../../../src/api/schemas/task-schemas.js';
import type { TaskAttempt } from '../../../../src/effects/db/entities/task-attempt.js';
import type { Task } from '../../../../src/effects/db/entities/task.js';
import type { WebhookDelivery } from '../../../../src/effects/db/entities/webhook-delivery.js';
import { toDeliveryView, toTaskView } from '../../../../src/effects/db/serialize.js';

// The rows as the ORM reads them; test/integration/db/serialize.test.ts does the same from PostgreSQL.
const task = (overrides: Partial<Task> = {}): Task => ({
  id: '5f0c6a4e-8d1b-4a57-9a8e-2f0d6c1e9b11',
  taskType: 'codegen_trigger',
  status: 'succeeded',
  repository: 'o/r',
  deliveryId: 'd-1',
  eventType: 'check_run',
  action: 'completed',
  pullRequestNumber: 7,
  headSha: 'a'.repeat(40),
  purpose: 'fix',
  attemptCount: 1,
  lastError: null,
  reason: 'unit failed',
  findings: { checks: [] },
  input: { node_id: 'secret-ish internals' },
  triggerTaskId: null,
  codegenRunId: 42,
  codegenRunStatus: 'completed',
  codegenWebUrl: 'https://codegen.example/runs/42',
  codegenResult: 'done',
  createdAt: new Date('2026-11-29T09:00:00Z'),
  updatedAt: new Date('2026-11-29T09:05:00Z'),
  ...overrides,
});

describe('toTaskView', () => {
  it('writes the listed fields in snake_case with ISO timestamps and the Codegen run, not the handler input', () => {
    const view = toTaskView(task());
    expect(view).to.deep.equal({
      id: '5f0c6a4e-8d1b-4a57-9a8e-2f0d6c1e9b11',
      task_type: 'codegen_trigger',
      status: 'succeeded',
      repository: 'o/r',
      delivery_id: 'd-1',
      event_type: 'check_run',
      action: 'completed',
      pull_request_number: 7,
      head_sha: 'a'.repeat(40),
      attempt_count: 1,
      last_error: null,
      reason: 'unit failed',
      codegen_run: { id: 42, status: 'completed', web_url: 'https://codegen.example/runs/42' },
      created_at: '2026-11-29T09:00:00.000Z',
      updated_at: '2026-11-29T09:05:00.000Z',
    });
    expect(taskViewSchema.safeParse(view).success).to.equal(true);
  });

  it('has no Codegen run until one was started', () => {
    expect(toTaskView(task({ codegenRunId: null })).codegen_run).to.equal(null);
  });

  it('adds findings and attempts for the detail', () => {
    const attempts = [
      { number: 1, startedAt: new Date('2026-11-29T09:00:01Z'), finishedAt: new Date('2026-11-29T09:00:02Z'), outcome: 'succeeded', error: null },
      { number: 2, startedAt: new Date('2026-11-29T09:01:00Z'), finishedAt: null, outcome: null, error: null },
    ] as TaskAttempt[];
    const detail = toTaskView(task(), attempts);
    expect(detail.findings).to.deep.equal({ checks: [] });
    expect(detail.attempts).to.deep.equal([
      { number: 1, started_at: '2026-11-29T09:00:01.000Z', finished_at: '2026-11-29T09:00:02.000Z', outcome: 'succeeded', error: null },
      { number: 2, started_at: '2026-11-29T09:01:00.000Z', finished_at: null, outcome: null, error: null },
    ]);
    expect(taskDetailSchema.safeParse(detail).success).to.equal(true);
  });

  it('accepts timestamps that are already strings', () => {
    const view = toTaskView(task({ createdAt: '2026-11-29T09:00:00+01:00' as unknown as Date }));
    expect(view.created_at).to.equal('2026-11-29T08:00:00.000Z');
  });
});

describe('toDeliveryView', () => {
  const delivery: WebhookDelivery = {
    deliveryId: 'd-1',
    eventType: 'check_run',
    action: 'completed',
    repository: 'o/r',
    installationId: 9,
    hookId: '123',
    targetType: 'repository',
    streamSeq: 4,
    outcome: 'processed',
    error: null,
    receivedAt: new Date('2026-11-29T08:59:59Z'),
    processedAt: null,
    timesSeen: 2,
  };

  it('writes the listed fields of a delivery, leaving out what the API does not show', () => {
    const view = toDeliveryView(delivery);
    expect(view).to.deep.equal({
      delivery_id: 'd-1',
      event_type: 'check_run',
      action: 'completed',
      repository: 'o/r',
      installation_id: 9,
      hook_id: '123',
      stream_seq: 4,
      outcome: 'processed',
      received_at: '2026-11-29T08:59:59.000Z',
      processed_at: null,
      error: null,
    });
    expect(deliveryViewSchema.safeParse(view).success).to.equal(true);
  });

  it('adds the tasks it created for the detail, as listed', () => {
    const detail = toDeliveryView({ ...delivery, processedAt: new Date('2026-11-29T09:00:00Z') }, [task()]);
    expect(detail.processed_at).to.equal('2026-11-29T09:00:00.000Z');
    expect(detail.tasks).to.deep.equal([toTaskView(task())]);
    expect(deliveryDetailSchema.safeParse(detail).success).to.equal(true);
  });
});
