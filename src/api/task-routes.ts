import type { Router, RouterMiddleware } from '@koa/router';
import { AppError } from '../errors/app-error.js';
import { toTaskView } from './task-view.js';
import { getTask, listTasks, retryTask, transitionTask, type TaskPatch } from '../effects/db/task-store.js';
import type { Task, TaskStatus } from '../effects/db/entities/task.js';
import { requestLogger, type ManagementDeps } from './management-deps.js';
import { managementOperations as operations } from './management-operations.js';
import { mountOperation } from './mount-operation.js';

/** GET /api/v1/tasks, GET /api/v1/tasks/:id and POST /api/v1/tasks/:id/retry. */
export function mountTaskRoutes(router: Router, auth: RouterMiddleware, deps: ManagementDeps): void {
  const { orm, onTransition } = deps;

  mountOperation(router, operations.listTasks, auth, async (ctx, { query }) => {
    const { limit, offset, status, task_type, repository, delivery_id } = query;
    const page = await listTasks(
      orm.em.fork(),
      { status, taskType: task_type, repository, deliveryId: delivery_id },
      { limit, offset },
    );
    ctx.body = { tasks: page.rows.map((task) => toTaskView(task)), total: page.total, limit, offset };
  });

  mountOperation(router, operations.getTask, auth, async (ctx, { params }) => {
    const detail = await getTask(orm.em.fork(), params.id);
    if (!detail) throw new AppError('not_found', `task ${params.id} not found`);
    ctx.body = toTaskView(detail.task, detail.attempts);
  });

  mountOperation(router, operations.retryTask, auth, async (ctx, { params }) => {
    const em = orm.em.fork();
    const found = await getTask(em, params.id);
    if (!found) throw new AppError('not_found', `task ${params.id} not found`);
    // A copy: retryTask maps its row onto the same identity-mapped entity.
    const previous = snapshot(found.task);
    const task = await retryTask(em, params.id, { onTransition });
    const log = requestLogger(ctx, deps.logger);
    try {
      await deps.requeueTask(task);
    } catch (error) {
      await restore(deps, task.id, previous).catch((restoreError: unknown) =>
        log.error({ err: restoreError, task_id: task.id }, 'could not restore the task after a failed re-queue'),
      );
      throw error;
    }
    log.info({ task_id: task.id, task_type: task.taskType, previous_status: previous.status }, 'task retried by an operator');
    ctx.status = 202;
    ctx.body = toTaskView(task);
  });
}

/**
 * Undoes a retry whose message was never published: a `queued` task that no message will ever
 * run would otherwise be stuck, since only failed, dead or skipped tasks may be retried again.
 */
async function restore(deps: ManagementDeps, taskId: string, previous: TaskSnapshot): Promise<void> {
  const { status, ...patch } = previous;
  await transitionTask(deps.orm.em.fork(), taskId, status, patch, { from: ['queued'], onTransition: deps.onTransition });
}

/** What a retry changes, as it was before. */
interface TaskSnapshot extends Required<Pick<TaskPatch, 'lastError' | 'codegenRunId' | 'codegenRunStatus' | 'codegenWebUrl' | 'codegenResult'>> {
  status: TaskStatus;
}

function snapshot(task: Task): TaskSnapshot {
  const { status, lastError, codegenRunId, codegenRunStatus, codegenWebUrl, codegenResult } = task;
  return { status, lastError, codegenRunId, codegenRunStatus, codegenWebUrl, codegenResult };
}
