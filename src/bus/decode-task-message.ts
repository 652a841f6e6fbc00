import type { JsMsg } from '@nats-io/jetstream';
import { AppError } from '../errors/app-error.js';
import { TASK_HEADERS } from '../contracts/message-headers.js';

/** A TASKS message names a task; everything else is read from the database. */
export interface TaskEnvelope {
  taskId: string;
  taskType: string;
}

export async function decodeTaskMessage(message: JsMsg): Promise<TaskEnvelope> {
  const taskId = message.headers?.get(TASK_HEADERS.taskId);
  const taskType = message.headers?.get(TASK_HEADERS.taskType);
  if (!taskId || !taskType) {
    throw new AppError('permanent_failure', `TASKS message ${message.seq} does not name a task`);
  }
  return { taskId, taskType };
}
