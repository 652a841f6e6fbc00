import { expect } from 'chai';
import { taskDetailSchema, taskViewSchema } from '../../../src/api/schemas/task-schemas.js';
import { toTaskView } from '../../../src/api/task-view.js';
import type { TaskAttempt } from '../../../src/effects/db/entities/task-attempt.js';
import { taskRow as task } from '../../fixtures/task-row.js';

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
