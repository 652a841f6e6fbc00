import type { PayloadStore } from '../bus/payload-store.js';
import type { TaskPublisher } from '../bus/task-publisher.js';
import type { WebhookEnvelope } from '../contracts/webhook-envelope.js';
import { setDeliveryOutcome } from '../effects/db/delivery-store.js';
import type { Task } from '../effects/db/entities/task.js';
import { observePullRequestHead } from '../effects/db/pull-request-head-store.js';
import { createTaskOnce, retryTask, transitionTask, type TaskTransitionListener } from '../effects/db/task-store.js';
import type { ActorContext, ActorDefinition, ActorOutcome } from './actor-definition.js';
import type { GithubEventPlan } from './github-event-plan.js';
import { recordDelivery } from './record-delivery.js';
import { webhookDecoding } from './webhook-actor-options.js';

export interface GithubEventActorOptions {
  name: string;
  durables: readonly string[];
  plan: (envelope: WebhookEnvelope) => GithubEventPlan;
  payloadStore: PayloadStore;
  publishTask: TaskPublisher;
  onTransition: TaskTransitionListener;
}

const QUEUEABLE = new Set(['queued', 'retrying']);
const REPLAYABLE = new Set(['failed', 'dead']);

/**
 * An actor for an event that may become an analysis task: record the delivery ▸ plan (pure) ▸
 * create the task once per (delivery, type) ▸ queue it on TASKS ▸ settle the delivery.
 * Every step is idempotent, so a redelivered or replayed message creates nothing new: it only
 * re-queues a task still waiting (a crash between creating and queueing), or, on an operator's
 * replay, a task that failed.
 */
export function createGithubEventActor(options: GithubEventActorOptions): ActorDefinition<WebhookEnvelope> {
  const { publishTask, onTransition } = options;
  const queue = (task: Task) => publishTask({ id: task.id, taskType: task.taskType, generation: task.attemptCount });

  return {
    name: options.name,
    durables: options.durables,
    ...webhookDecoding(options.payloadStore),
    async handle(envelope: WebhookEnvelope, { em, log }: ActorContext): Promise<ActorOutcome> {
      // One transaction (one commit) for the delivery's record, its task and its outcome; the task
      // is queued on TASKS only once that has committed, so it is never queued without its row.
      const { outcome, toQueue } = await em.transactional(async (tx) => {
        const { delivery } = await recordDelivery(tx, envelope);
        // Settled before means a true duplicate; a delivery whose first handling crashed is still `received`.
        const fresh = delivery.outcome === 'received' || envelope.replayOf !== undefined;
        const plan = options.plan(envelope);
        if (plan.kind === 'ignore') {
          await setDeliveryOutcome(tx, envelope.deliveryId, 'ignored', plan.reason);
          log.debug({ reason: plan.reason }, 'delivery ignored');
          return { outcome: 'ignored' as const, toQueue: undefined };
        }
        const head = plan.pullRequestHead
          ? await observePullRequestHead(tx, { repository: plan.repository, ...plan.pullRequestHead })
          : 'newer';
        const once = await createTaskOnce(
          tx,
          {
            taskType: plan.taskType,
            repository: plan.repository,
            deliveryId: envelope.deliveryId,
            eventType: envelope.event,
            action: envelope.action ?? null,
            pullRequestNumber: plan.pullRequestNumber,
            headSha: plan.headSha,
            input: plan.input,
          },
          { onTransition },
        );
        let { task } = once;
        if (once.created && head === 'stale') {
          task = await transitionTask(
            tx,
            task.id,
            'skipped',
            { reason: `Skipped: this event is about head ${plan.headSha}, older than the head already analysed for #${plan.pullRequestNumber}.` },
            { onTransition },
          );
        } else if (!once.created && envelope.replayOf && REPLAYABLE.has(task.status)) {
          task = await retryTask(tx, task.id, { onTransition });
        }
        await setDeliveryOutcome(tx, envelope.deliveryId, fresh ? 'processed' : 'duplicate');
        log.info({ task_id: task.id, task_type: task.taskType, status: task.status, created: once.created }, 'delivery planned');
        return { outcome: fresh ? ('processed' as const) : ('duplicate' as const), toQueue: QUEUEABLE.has(task.status) ? task : undefined };
      });
      if (toQueue) await queue(toQueue);
      return outcome;
    },
  };
}
