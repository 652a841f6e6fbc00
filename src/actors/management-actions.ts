import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { JetStreamClient, JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import type { MikroORM } from '@mikro-orm/postgresql';
import { newestMessages, storedMessageAt } from '../bus/stream-messages.js';
import type { TaskPublisher } from '../bus/task-publisher.js';
import type { DeadLetterPage, DeadLetterView, PublishReceipt, RedriveReceipt } from '../contracts/management-views.js';
import { GITHUB_HEADERS, isPublishDirective, ORCHESTRATOR_HEADERS, TASK_HEADERS } from '../contracts/message-headers.js';
import type { Topology } from '../contracts/topology.js';
import { getDelivery } from '../effects/db/delivery-store.js';
import type { Task } from '../effects/db/entities/task.js';
import { getTask, retryTask, type TaskTransitionListener } from '../effects/db/task-store.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { injectTraceHeaders } from '../observability/trace-context.js';

export interface ManagementActionsOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  orm: MikroORM;
  topology: Topology;
  publishTask: TaskPublisher;
  onTransition: TaskTransitionListener;
}

const DEAD_HEADERS = new Set(
  [ORCHESTRATOR_HEADERS.deadReason, ORCHESTRATOR_HEADERS.deadStream, ORCHESTRATOR_HEADERS.deadConsumer, ORCHESTRATOR_HEADERS.deadSeq, ORCHESTRATOR_HEADERS.deadSubject, ORCHESTRATOR_HEADERS.replayOf, 'traceparent', 'tracestate'].map((h) => h.toLowerCase()),
);

/**
 * What operators do through the API (and the CLI): replay a stored delivery through its actor,
 * re-queue a task, list and redrive dead letters. Every path republishes to JetStream, so the
 * actors do the work with the same guarantees as for fresh events.
 */
export function createManagementActions(options: ManagementActionsOptions) {
  const { js, jsm, topology } = options;

  const republish = async (subject: string, original: MsgHdrs | undefined, data: Uint8Array, replayOf: string, msgID: string) => {
    const headers = natsHeaders();
    for (const [key, values] of original ?? []) {
      if (DEAD_HEADERS.has(key.toLowerCase()) || isPublishDirective(key)) continue;
      for (const value of values) headers.append(key, value);
    }
    headers.set(ORCHESTRATOR_HEADERS.replayOf, replayOf);
    injectTraceHeaders(headers);
    return js.publish(subject, data, { headers, msgID, timeout: 5000 });
  };

  // An operator's re-queue must not be mistaken for a repeat of the original message by
  // JetStream's duplicate window, so its message id carries its own moment.
  const requeueTask = async (task: Task) => {
    await unavailableOnFailure(() => options.publishTask({ id: task.id, taskType: task.taskType, generation: `requeue-${Date.now()}` }));
  };

  return {
    requeueTask,

    /** Re-runs a stored delivery through its actor; existing tasks are reused, failed ones retried. */
    async replayDelivery(deliveryId: string): Promise<PublishReceipt & { delivery_id: string }> {
      const detail = await getDelivery(options.orm.em.fork(), deliveryId);
      if (!detail) throw new AppError('not_found', `no delivery ${deliveryId}`);
      const seq = detail.delivery.streamSeq;
      const stored = seq ? await storedMessageAt(jsm, topology.streams.github, seq) : null;
      if (!stored || stored.header.get(GITHUB_HEADERS.delivery) !== deliveryId) {
        throw new AppError('conflict', `delivery ${deliveryId} is no longer held by the ${topology.streams.github} stream`);
      }
      const ack = await unavailableOnFailure(() =>
        republish(stored.subject, stored.header, stored.data, `delivery:${deliveryId}`, `replay:${deliveryId}:${Date.now()}`),
      );
      return { delivery_id: deliveryId, stream: ack.stream, seq: ack.seq };
    },

    async listDeadLetters(page: { limit: number; offset: number }): Promise<DeadLetterPage> {
      const { messages, total } = await unavailableOnFailure(() => newestMessages(jsm, topology.streams.dlq, page));
      return { dead_letters: messages.map(toDeadLetterView), total };
    },

    /**
     * Sends a dead letter back to where it died (retrying its task first), then removes it from
     * the DLQ. Null when there is no such dead letter.
     */
    async redriveDeadLetter(id: string): Promise<RedriveReceipt | null> {
      const seq = Number(id);
      const stored = Number.isSafeInteger(seq) && seq > 0 ? await unavailableOnFailure(() => storedMessageAt(jsm, topology.streams.dlq, seq)) : null;
      if (!stored) return null;
      const subject = stored.header.get(ORCHESTRATOR_HEADERS.deadSubject);
      if (!subject) throw new AppError('conflict', `dead letter ${id} does not say where it came from`);
      const taskId = stored.header.get(TASK_HEADERS.taskId);
      let generation = 0;
      if (taskId) {
        const em = options.orm.em.fork();
        const task = await retryTask(em, taskId, { onTransition: options.onTransition }).catch(async (error: unknown) => {
          // Already re-queued by an operator's task retry: redrive the message as it is.
          if (isAppError(error) && error.code === 'conflict') return (await getTask(em, taskId))?.task;
          throw error;
        });
        generation = task?.attemptCount ?? 0;
      }
      const ack = await unavailableOnFailure(() => republish(subject, stored.header, stored.data, `dlq:${id}`, `redrive:${id}:${generation}`));
      await jsm.streams.deleteMessage(topology.streams.dlq, seq, false);
      return { stream: ack.stream, subject, seq: ack.seq };
    },
  };
}

export type ManagementActions = ReturnType<typeof createManagementActions>;

/** NATS trouble while an operator acts is `unavailable` (503 with Retry-After), not an internal error. */
async function unavailableOnFailure<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError('unavailable', 'JetStream is unavailable; try again shortly', { cause: error, retryAfterSeconds: 5 });
  }
}

function toDeadLetterView(message: StoredMsg): DeadLetterView {
  const header = (name: string) => message.header.get(name) || null;
  return {
    id: String(message.seq),
    stream: header(ORCHESTRATOR_HEADERS.deadStream) ?? '',
    consumer: header(ORCHESTRATOR_HEADERS.deadConsumer) ?? '',
    subject: header(ORCHESTRATOR_HEADERS.deadSubject) ?? message.subject,
    delivery_id: header(GITHUB_HEADERS.delivery),
    task_id: header(TASK_HEADERS.taskId),
    reason: header(ORCHESTRATOR_HEADERS.deadReason) ?? '',
    failed_at: message.time.toISOString(),
  };
}
