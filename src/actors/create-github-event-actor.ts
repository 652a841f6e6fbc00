import type { EntityManager } from '@mikro-orm/postgresql';
import type { PayloadStore } from '../bus/payload-store.js';
import type { TaskPublisher } from '../bus/task-publisher.js';
import type { WebhookEnvelope } from '../contracts/webhook-envelope.js';
import { recordDeliveriesReceived, setDeliveryOutcomes, type DeliveryOutcomeInput } from '../effects/db/delivery-store.js';
import type { Task } from '../effects/db/entities/task.js';
import { observePullRequestHeads, type HeadObservation } from '../effects/db/pull-request-head-store.js';
import { createTasksOnce, retryTask, transitionTask, type TaskTransitionListener } from '../effects/db/task-store.js';
import type { ActorDefinition, ActorOutcome, BatchItem, ItemResult } from './actor-definition.js';
import type { GithubEventPlan } from './github-event-plan.js';
import { groupByDelivery } from './group-by-delivery.js';
import { planDelivery, type PlannedDelivery } from './planned-delivery.js';
import { webhookDecoding } from './webhook-decoding.js';

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

type TaskPlan = Extract<GithubEventPlan, { kind: 'task' }>;

/**
 * An actor for events that may become analysis tasks. Per micro-batch, in ONE transaction and one
 * statement per table: record the deliveries ▸ plan each (pure) ▸ observe pull request heads ▸
 * create each task once per (delivery, type) ▸ settle the deliveries; then, once committed, queue the
 * tasks on TASKS with every publish in flight together, and only then let the runner ack.
 * Every step is idempotent, so a redelivered or replayed message creates nothing new: it only
 * re-queues a task still waiting (a crash between commit and queueing), or, on an operator's replay,
 * a task that failed.
 */
export function createGithubEventActor(options: GithubEventActorOptions): ActorDefinition<PlannedDelivery> {
  const { publishTask, onTransition } = options;
  const decoding = webhookDecoding(options.payloadStore);

  /** The batch's database work; returns each group's outcome and the tasks to queue. */
  const persist = async (tx: EntityManager, items: ReadonlyArray<BatchItem<PlannedDelivery>>) => {
    const groups = groupByDelivery(items);
    const recorded = await recordDeliveriesReceived(
      tx,
      groups.map((group) => ({ ...group.envelope.sighting, sightings: group.count })),
    );
    const planned = groups.map((group, g) => ({
      group,
      plan: group.envelope.plan,
      // Settled before means a true duplicate; a delivery whose first handling crashed is still `received`.
      fresh: recorded[g]!.delivery.outcome === 'received' || group.envelope.replayOf !== undefined,
    }));
    const withTask = planned.filter((p): p is typeof p & { plan: TaskPlan } => p.plan.kind === 'task');
    const withHead = withTask.filter((p) => p.plan.pullRequestHead !== undefined);
    const observed = await observePullRequestHeads(
      tx,
      withHead.map(({ plan }) => ({ repository: plan.repository, ...plan.pullRequestHead! })),
    );
    const headOf = new Map<TaskPlan, HeadObservation>(withHead.map((p, i) => [p.plan, observed[i]!]));
    const created = await createTasksOnce(
      tx,
      withTask.map(({ group, plan }) => ({
        taskType: plan.taskType,
        repository: plan.repository,
        deliveryId: group.envelope.deliveryId,
        eventType: group.envelope.event,
        action: group.envelope.action ?? null,
        pullRequestNumber: plan.pullRequestNumber,
        headSha: plan.headSha,
        input: plan.input,
      })),
      { onTransition },
    );

    const outcomes = new Map<number, ActorOutcome>();
    const settled: DeliveryOutcomeInput[] = [];
    const toQueue: Task[] = [];
    for (const { group, plan } of planned) {
      if (plan.kind === 'ignore') {
        outcomes.set(group.index, 'ignored');
        settled.push({ deliveryId: group.envelope.deliveryId, outcome: 'ignored', error: plan.reason });
        items[group.index]!.log.debug({ reason: plan.reason }, 'delivery ignored');
      }
    }
    for (const [i, { group, plan, fresh }] of withTask.entries()) {
      const once = created[i]!;
      let { task } = once;
      // Rare paths, one statement each: an event about an older head, an operator's replay of failed work.
      if (once.created && headOf.get(plan) === 'stale') {
        task = await transitionTask(
          tx,
          task.id,
          'skipped',
          { reason: `Skipped: this event is about head ${plan.headSha}, older than the head already analysed for #${plan.pullRequestNumber}.` },
          { onTransition },
        );
      } else if (!once.created && group.envelope.replayOf && REPLAYABLE.has(task.status)) {
        task = await retryTask(tx, task.id, { onTransition });
      }
      outcomes.set(group.index, fresh ? 'processed' : 'duplicate');
      settled.push({ deliveryId: group.envelope.deliveryId, outcome: fresh ? 'processed' : 'duplicate' });
      if (QUEUEABLE.has(task.status)) toQueue.push(task);
      items[group.index]!.log.info(
        { task_id: task.id, task_type: task.taskType, status: task.status, created: once.created },
        'delivery planned',
      );
    }
    await setDeliveryOutcomes(tx, settled);
    return { groups, outcomes, toQueue };
  };

  return {
    name: options.name,
    durables: options.durables,
    ...decoding,
    // Planned as soon as parsed: the batch holds plans, not payloads (see PlannedDelivery).
    decode: async (message) => planDelivery(await decoding.decode(message), options.plan),
    async handleBatch(items, { em }): Promise<ItemResult[]> {
      // Tasks are queued only once their rows are committed, so none is ever queued without its row.
      const { groups, outcomes, toQueue } = await em.transactional((tx) => persist(tx, items));
      await Promise.all(toQueue.map((task) => publishTask({ id: task.id, taskType: task.taskType, generation: task.attemptCount })));
      const results = new Array<ItemResult>(items.length);
      for (const group of groups) {
        results[group.index] = outcomes.get(group.index)!;
        for (const repeat of group.repeats) results[repeat] = 'duplicate';
      }
      return results;
    },
  };
}
