import type { AttemptOutcome, TaskAttempt } from '../effects/db/entities/task-attempt.js';
import type { Task, TaskStatus, TaskType } from '../effects/db/entities/task.js';
import { isoTime } from './iso-time.js';

/** A task as the management API lists it: snake_case, ISO-8601 times, no handler input. */
export interface TaskView {
  id: string;
  task_type: TaskType;
  status: TaskStatus;
  repository: string;
  delivery_id: string;
  event_type: string;
  action: string | null;
  pull_request_number: number | null;
  head_sha: string | null;
  attempt_count: number;
  last_error: string | null;
  reason: string | null;
  codegen_run: { id: number; status: string | null; web_url: string | null } | null;
  created_at: string;
  updated_at: string;
}

/** One attempt in a task's detail. */
export interface AttemptView {
  number: number;
  started_at: string;
  finished_at: string | null;
  outcome: AttemptOutcome | null;
  error: string | null;
}

/** A task's detail: the listed fields, its findings and its attempts. */
export interface TaskDetailView extends TaskView {
  findings: Record<string, unknown> | null;
  /** What the Codegen run reported when it ended (codegen_trigger tasks). */
  codegen_result: string | null;
  attempts: AttemptView[];
}

/** The API shape of a task; with `attempts`, its detail (findings and attempts included). */
export function toTaskView(task: Task): TaskView;
export function toTaskView(task: Task, attempts: readonly TaskAttempt[]): TaskDetailView;
export function toTaskView(task: Task, attempts?: readonly TaskAttempt[]): TaskView | TaskDetailView {
  const view: TaskView = {
    id: task.id,
    task_type: task.taskType,
    status: task.status,
    repository: task.repository,
    delivery_id: task.deliveryId,
    event_type: task.eventType,
    action: task.action,
    pull_request_number: task.pullRequestNumber,
    head_sha: task.headSha,
    attempt_count: task.attemptCount,
    last_error: task.lastError,
    reason: task.reason,
    codegen_run:
      task.codegenRunId == null
        ? null
        : { id: task.codegenRunId, status: task.codegenRunStatus, web_url: task.codegenWebUrl },
    created_at: isoTime(task.createdAt),
    updated_at: isoTime(task.updatedAt),
  };
  if (attempts === undefined) return view;
  return { ...view, findings: task.findings, codegen_result: task.codegenResult, attempts: attempts.map(toAttemptView) };
}

function toAttemptView(attempt: TaskAttempt): AttemptView {
  return {
    number: attempt.number,
    started_at: isoTime(attempt.startedAt),
    finished_at: attempt.finishedAt === null ? null : isoTime(attempt.finishedAt),
    outcome: attempt.outcome,
    error: attempt.error,
  };
}
