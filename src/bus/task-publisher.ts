import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import { TASK_HEADERS } from '../contracts/message-headers.js';
import { taskSubject } from '../contracts/subjects.js';
import type { Topology } from '../contracts/topology.js';
import { withPublishSpan } from '../observability/messaging-spans.js';

/** A task to hand to the actor that runs it. */
export interface TaskMessage {
  id: string;
  taskType: string;
  /** Distinguishes deliberate re-queues (retries) from accidental repeats: same generation, one message. */
  generation: number | string;
}

export type TaskPublisher = (task: TaskMessage) => Promise<{ seq: number; duplicate: boolean }>;

/**
 * Publishes `tasks.analysis.<type>` or `tasks.codegen_trigger` with Nats-Msg-Id = task id and
 * generation, so publishing the same task twice (a redelivered event, two analyses linking to one
 * trigger) queues it once, while an operator's retry queues it again.
 */
export function createTaskPublisher(options: { js: JetStreamClient; topology: Topology; timeoutMs?: number }): TaskPublisher {
  return async (task) => {
    const headers = natsHeaders();
    headers.set(TASK_HEADERS.taskId, task.id);
    headers.set(TASK_HEADERS.taskType, task.taskType);
    const logical = task.taskType === 'codegen_trigger' ? taskSubject('codegen_trigger') : taskSubject(`analysis.${task.taskType}`);
    const subject = options.topology.subject(logical);
    const messageId = `task:${task.id}:${task.generation}`;
    const body = JSON.stringify({ task_id: task.id });
    return withPublishSpan({ subject, headers, messageId, bodySize: body.length }, async () => {
      const ack = await options.js.publish(subject, body, { headers, msgID: messageId, timeout: options.timeoutMs ?? 5000 });
      return { seq: ack.seq, duplicate: ack.duplicate };
    });
  };
}
