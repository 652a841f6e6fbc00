import { randomUUID } from 'node:crypto';
import { BigIntType, EntitySchema } from '@mikro-orm/core';

/** Every kind of task: four analyses and the Codegen trigger they may feed. */
export const TASK_TYPES = [
  'pull_request_analysis',
  'check_failure_analysis',
  'check_suite_failure_analysis',
  'push_analysis',
  'codegen_trigger',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];
/** Every task type but `codegen_trigger`: the ones created once per (delivery, type). */
export type AnalysisTaskType = Exclude<TaskType, 'codegen_trigger'>;

/** `queued → running → succeeded | failed | skipped`, `retrying` between attempts, `dead` when retries run out. */
export const TASK_STATUSES = ['queued', 'running', 'retrying', 'succeeded', 'failed', 'skipped', 'dead'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Why a Codegen run is wanted: fix a failing check, or review a pull request. */
export const CODEGEN_PURPOSES = ['fix', 'review'] as const;
export type CodegenPurpose = (typeof CODEGEN_PURPOSES)[number];

/** A unit of workflow work: an analysis of one delivery, or one Codegen run per (repository, head, purpose). */
export interface Task {
  id: string;
  taskType: TaskType;
  status: TaskStatus;
  /** `owner/name`. */
  repository: string;
  /** The delivery that created the task. */
  deliveryId: string;
  eventType: string;
  action: string | null;
  pullRequestNumber: number | null;
  headSha: string | null;
  /** Set on `codegen_trigger` tasks only. */
  purpose: CodegenPurpose | null;
  /** Cumulative over the task's life, operator retries included: attempt numbers stay unique. */
  attemptCount: number;
  lastError: string | null;
  /** A human-readable paragraph: what was found and what was decided. */
  reason: string | null;
  findings: Record<string, unknown> | null;
  /** What the handler needs to run the task (node ids, installation id, ...). */
  input: Record<string, unknown>;
  /** On an analysis: the `codegen_trigger` task it fed. */
  triggerTaskId: string | null;
  codegenRunId: number | null;
  codegenRunStatus: string | null;
  codegenWebUrl: string | null;
  codegenResult: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Table `tasks`. The two partial unique indexes are the exactly-once guarantees: one analysis task per
 * (delivery, task type), and one `codegen_trigger` per (repository, head SHA, purpose). The check
 * makes the second one bite: unique indexes treat NULLs as distinct.
 */
export const TaskSchema = new EntitySchema<Task>({
  name: 'Task',
  tableName: 'tasks',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()', onCreate: () => randomUUID() },
    taskType: { enum: true, items: [...TASK_TYPES] },
    status: { enum: true, items: [...TASK_STATUSES], default: 'queued' },
    repository: { type: 'text' },
    deliveryId: { type: 'text' },
    eventType: { type: 'text' },
    action: { type: 'text', nullable: true },
    pullRequestNumber: { type: 'integer', nullable: true },
    headSha: { type: 'text', nullable: true },
    purpose: { enum: true, items: [...CODEGEN_PURPOSES], nullable: true },
    attemptCount: { type: 'integer', default: 0 },
    lastError: { type: 'text', nullable: true },
    reason: { type: 'text', nullable: true },
    findings: { type: 'json', nullable: true },
    input: { type: 'json', defaultRaw: `'{}'` },
    triggerTaskId: { type: 'uuid', nullable: true },
    codegenRunId: { type: new BigIntType('number'), nullable: true },
    codegenRunStatus: { type: 'text', nullable: true },
    codegenWebUrl: { type: 'text', nullable: true },
    codegenResult: { type: 'text', nullable: true },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
    updatedAt: { type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() },
  },
  indexes: [
    {
      name: 'tasks_delivery_id_task_type_unique',
      expression:
        'create unique index "tasks_delivery_id_task_type_unique" on "tasks" ("delivery_id", "task_type") ' +
        `where "task_type" <> 'codegen_trigger'`,
    },
    {
      name: 'tasks_codegen_trigger_unique',
      expression:
        'create unique index "tasks_codegen_trigger_unique" on "tasks" ("repository", "head_sha", "purpose") ' +
        `where "task_type" = 'codegen_trigger'`,
    },
    { name: 'tasks_created_at_index', properties: ['createdAt'] },
    { name: 'tasks_status_created_at_index', properties: ['status', 'createdAt'] },
    { name: 'tasks_task_type_created_at_index', properties: ['taskType', 'createdAt'] },
    { name: 'tasks_repository_created_at_index', properties: ['repository', 'createdAt'] },
    { name: 'tasks_delivery_id_index', properties: ['deliveryId'] },
    { name: 'tasks_trigger_task_id_index', properties: ['triggerTaskId'] },
    {
      name: 'tasks_pull_request_index',
      properties: ['repository', 'pullRequestNumber', 'taskType', 'purpose'],
    },
  ],
  checks: [
    {
      name: 'tasks_codegen_trigger_key_check',
      expression: `task_type <> 'codegen_trigger' or (head_sha is not null and purpose is not null)`,
    },
  ],
});
