import { z } from 'zod';
import { ATTEMPT_OUTCOMES } from '../../effects/db/entities/task-attempt.js';
import { TASK_STATUSES, TASK_TYPES } from '../../effects/db/entities/task.js';
import type { AttemptView, TaskDetailView, TaskView } from '../task-view.js';
import { apiSchemas } from './api-schema-registry.js';
import {
  deliveryIdParam,
  pageAnswerFields,
  pageQueryFields,
  repositoryParam,
  timestamp,
} from './common-schemas.js';
import { assertSameType } from './same-type.js';

/** A task id: task ids are UUIDs, so anything else is a malformed request (400), not an unknown task. */
export const taskIdParam = z
  .guid('must be a UUID')
  .register(apiSchemas, { description: 'Task id (a UUID).' });

export const taskStatusSchema = z.enum(TASK_STATUSES).register(apiSchemas, {
  id: 'TaskStatus',
  description: '`queued → running → succeeded | failed | skipped`, `retrying` between attempts, `dead` once retries are exhausted.',
});

export const taskTypeSchema = z.enum(TASK_TYPES).register(apiSchemas, { id: 'TaskType' });

/** GET /api/v1/tasks query. */
export const taskListQuery = z.strictObject({
  ...pageQueryFields,
  status: taskStatusSchema.optional(),
  task_type: taskTypeSchema.optional(),
  repository: repositoryParam.optional(),
  delivery_id: deliveryIdParam.optional(),
});

/** Path of /api/v1/tasks/:id and its actions. */
export const taskPathParams = z.strictObject({ id: taskIdParam });

export const codegenRunSchema = z
  .object({
    id: z.number().int(),
    status: z.string().nullable(),
    web_url: z.string().nullable(),
  })
  .register(apiSchemas, { id: 'CodegenRun', description: 'The Codegen agent run a codegen_trigger task started.' });

/** A task as listed. */
export const taskViewSchema = z
  .object({
    id: z.guid(),
    task_type: taskTypeSchema,
    status: taskStatusSchema,
    repository: z.string(),
    delivery_id: z.string(),
    event_type: z.string(),
    action: z.string().nullable(),
    pull_request_number: z.number().int().nullable(),
    head_sha: z.string().nullable(),
    attempt_count: z.number().int().min(0),
    last_error: z.string().nullable(),
    reason: z.string().register(apiSchemas, { description: 'What the analysis found and decided, for humans.' }).nullable(),
    codegen_run: codegenRunSchema.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .register(apiSchemas, { id: 'Task', description: 'A workflow task, as listed.' });

export const attemptViewSchema = z
  .object({
    number: z.number().int().min(1),
    started_at: timestamp,
    finished_at: timestamp.nullable(),
    outcome: z.enum(ATTEMPT_OUTCOMES).nullable(),
    error: z.string().nullable(),
  })
  .register(apiSchemas, { id: 'TaskAttempt', description: 'One try of a task; finished_at and outcome are null while it runs.' });

/** A task's detail: the listed fields, its findings and its attempts. */
export const taskDetailSchema = taskViewSchema
  .extend({
    findings: z.record(z.string(), z.unknown()).nullable(),
    codegen_result: z.string().nullable().register(apiSchemas, { description: 'What the Codegen run reported when it ended.' }),
    attempts: z.array(attemptViewSchema),
  })
  .register(apiSchemas, { id: 'TaskDetail', description: 'A task with its analysis findings and attempts, oldest first.' });

export const taskListSchema = z
  .object({ tasks: z.array(taskViewSchema), ...pageAnswerFields })
  .register(apiSchemas, { id: 'TaskList', description: 'One page of tasks, newest first.' });

assertSameType<z.output<typeof taskViewSchema>, TaskView>(true);
assertSameType<z.output<typeof attemptViewSchema>, AttemptView>(true);
assertSameType<z.output<typeof taskDetailSchema>, TaskDetailView>(true);
