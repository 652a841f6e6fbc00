import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { taskDetailSchema, taskIdParam, taskListQuery, taskPathParams, taskViewSchema } from '../../../../src/api/schemas/task-schemas.js';

const view = () => ({
  id: randomUUID(),
  task_type: 'check_failure_analysis',
  status: 'succeeded',
  repository: 'o/r',
  delivery_id: 'd-1',
  event_type: 'check_run',
  action: 'completed',
  pull_request_number: 7,
  head_sha: 'a'.repeat(40),
  attempt_count: 1,
  last_error: null,
  reason: 'Check failed.',
  codegen_run: null,
  created_at: '2026-11-29T09:00:00.000Z',
  updated_at: '2026-11-29T09:00:01.000Z',
});

describe('taskIdParam', () => {
  it('accepts UUIDs only, so a malformed id is a bad request rather than an unknown task', () => {
    expect(taskIdParam.safeParse(randomUUID()).success).to.equal(true);
    expect(taskIdParam.safeParse('42').success).to.equal(false);
    expect(taskPathParams.safeParse({ id: randomUUID(), extra: 'x' }).success).to.equal(false);
  });
});

describe('taskListQuery', () => {
  it('filters by known statuses, task types, repository and delivery, with the page', () => {
    expect(taskListQuery.parse({ status: 'dead', task_type: 'push_analysis', repository: 'o/r', delivery_id: 'd-1' })).to.deep.equal({
      limit: 50,
      offset: 0,
      status: 'dead',
      task_type: 'push_analysis',
      repository: 'o/r',
      delivery_id: 'd-1',
    });
  });

  it('refuses unknown filters and values', () => {
    expect(taskListQuery.safeParse({ status: 'done' }).success).to.equal(false);
    expect(taskListQuery.safeParse({ task_type: 'deploy' }).success).to.equal(false);
    expect(taskListQuery.safeParse({ sort: 'asc' }).success).to.equal(false);
  });
});

describe('taskViewSchema', () => {
  it('accepts a listed task and refuses one with a timestamp not in ISO-8601 UTC', () => {
    expect(taskViewSchema.safeParse(view()).success).to.equal(true);
    expect(taskViewSchema.safeParse({ ...view(), created_at: 'yesterday' }).success).to.equal(false);
  });
});

describe('taskDetailSchema', () => {
  it('adds findings and attempts, whose outcome is null while running', () => {
    const detail = {
      ...view(),
      findings: { head_sha: 'a'.repeat(40) },
      codegen_result: null,
      attempts: [{ number: 1, started_at: '2026-11-29T09:00:00.000Z', finished_at: null, outcome: null, error: null }],
    };
    expect(taskDetailSchema.safeParse(detail).success).to.equal(true);
    expect(taskDetailSchema.safeParse({ ...detail, attempts: [{ ...detail.attempts[0], number: 0 }] }).success).to.equal(false);
  });
});
