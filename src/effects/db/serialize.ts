import type { AttemptOutcome, TaskAttempt } from './entities/task-attempt.js';
import type { Task, TaskStatus, TaskType } from './entities/task.js';
import type { DeliveryOutcome, WebhookDelivery } from './entities/webhook-delivery.js';

/** A task as the management API lists it (SPEC §4). */
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

/** A delivery as the management API lists it (SPEC §4). */
export interface DeliveryView {
  delivery_id: string;
  event_type: string;
  action: string | null;
  repository: string | null;
  installation_id: number | null;
  hook_id: string | null;
  stream_seq: number | null;
  outcome: DeliveryOutcome;
  received_at: string;
  processed_at: string | null;
  error: string | null;
}

/** A delivery's detail: the listed fields and the tasks it created. */
export interface DeliveryDetailView extends DeliveryView {
  tasks: TaskView[];
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
    created_at: iso(task.createdAt),
    updated_at: iso(task.updatedAt),
  };
  if (attempts === undefined) return view;
  return { ...view, findings: task.findings, codegen_result: task.codegenResult, attempts: attempts.map(toAttemptView) };
}

function toAttemptView(attempt: TaskAttempt): AttemptView {
  return {
    number: attempt.number,
    started_at: iso(attempt.startedAt),
    finished_at: attempt.finishedAt === null ? null : iso(attempt.finishedAt),
    outcome: attempt.outcome,
    error: attempt.error,
  };
}

/** The API shape of a delivery; with `tasks`, its detail. */
export function toDeliveryView(delivery: WebhookDelivery): DeliveryView;
export function toDeliveryView(delivery: WebhookDelivery, tasks: readonly Task[]): DeliveryDetailView;
export function toDeliveryView(delivery: WebhookDelivery, tasks?: readonly Task[]): DeliveryView | DeliveryDetailView {
  const view: DeliveryView = {
    delivery_id: delivery.deliveryId,
    event_type: delivery.eventType,
    action: delivery.action,
    repository: delivery.repository,
    installation_id: delivery.installationId,
    hook_id: delivery.hookId,
    stream_seq: delivery.streamSeq,
    outcome: delivery.outcome,
    received_at: iso(delivery.receivedAt),
    processed_at: delivery.processedAt === null ? null : iso(delivery.processedAt),
    error: delivery.error,
  };
  if (tasks === undefined) return view;
  return { ...view, tasks: tasks.map((task) => toTaskView(task)) };
}

// Rows read back through the ORM hold Dates; values built elsewhere may already be strings.
function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
