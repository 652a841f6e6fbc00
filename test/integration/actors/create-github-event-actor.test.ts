import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { DeliverPolicy } from '@nats-io/jetstream';
import type { BatchItem } from '../../../src/actors/actor-definition.js';
import { createGithubEventActor } from '../../../src/actors/create-github-event-actor.js';
import { planDelivery, type PlannedDelivery } from '../../../src/actors/planned-delivery.js';
import { planPush } from '../../../src/actors/push/plan-push.js';
import { createTaskPublisher } from '../../../src/bus/task-publisher.js';
import { TASK_HEADERS } from '../../../src/contracts/message-headers.js';
import { getDelivery } from '../../../src/effects/db/delivery-store.js';
import { transitionTask } from '../../../src/effects/db/task-store.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { useActorBatch } from '../../helpers/actor-batch.js';
import { envelopeOf } from '../../helpers/webhook-envelope.js';

describe('createGithubEventActor', function () {
  this.timeout(30_000);
  const harness = useActorBatch();

  const actor = () =>
    createGithubEventActor({
      name: 'push',
      durables: ['actor_push'],
      plan: planPush,
      payloadStore: harness.scratch().payloadStore,
      publishTask: createTaskPublisher({ js: harness.scratch().js, topology: harness.scratch().topology }),
      onTransition: () => undefined,
    });
  const push = (overrides: Record<string, unknown> = {}) => {
    const payload = examplePayload('push');
    const branch = (payload.repository as { default_branch: string }).default_branch;
    return { ...payload, ref: `refs/heads/${branch}`, deleted: false, after: 'b'.repeat(40), repository: { ...(payload.repository as object), full_name: `octo/${randomUUID().slice(0, 8)}` }, ...overrides };
  };
  const item = (deliveryId: string, payload: Record<string, unknown>, replayOf?: string) =>
    harness.item(planDelivery({ ...envelopeOf('push', payload), deliveryId, replayOf }, planPush));
  const handle = (items: Array<BatchItem<PlannedDelivery>>) => actor().handleBatch(items, harness.context());
  const detail = async (deliveryId: string) => (await getDelivery(harness.db().orm.em.fork(), deliveryId))!;
  /** Task ids queued on TASKS so far. */
  const queued = async () => {
    const { js, topology } = harness.scratch();
    const consumer = await js.consumers.get(topology.streams.tasks, { deliver_policy: DeliverPolicy.All });
    const ids: string[] = [];
    const info = await consumer.info();
    if (info.num_pending > 0) {
      for await (const m of await consumer.fetch({ max_messages: info.num_pending, expires: 2000 })) {
        ids.push(m.headers!.get(TASK_HEADERS.taskId));
        if (m.info.pending === 0) break;
      }
    }
    await consumer.delete();
    return ids;
  };

  it('records a push to the default branch, creates its analysis task and queues it once committed', async () => {
    const deliveryId = randomUUID();
    expect(await handle([item(deliveryId, push())])).to.deep.equal(['processed']);
    const { delivery, tasks } = await detail(deliveryId);
    expect(delivery.outcome).to.equal('processed');
    expect(tasks.map((task) => [task.taskType, task.status])).to.deep.equal([['push_analysis', 'queued']]);
    expect(await queued()).to.include(tasks[0]!.id);
  });

  it('answers a second message of the same delivery as a duplicate and creates nothing new, in the batch or after it', async () => {
    const deliveryId = randomUUID();
    const payload = push();
    expect(await handle([item(deliveryId, payload), item(deliveryId, payload)])).to.deep.equal(['processed', 'duplicate']);
    expect(await handle([item(deliveryId, payload)])).to.deep.equal(['duplicate']);
    expect((await detail(deliveryId)).tasks).to.have.length(1);
  });

  it('records a push it does not analyse as ignored with the planner\'s reason, and makes no task', async () => {
    const deliveryId = randomUUID();
    expect(await handle([item(deliveryId, push({ ref: 'refs/heads/feature' }))])).to.deep.equal(['ignored']);
    const { delivery, tasks } = await detail(deliveryId);
    expect(delivery).to.deep.include({ outcome: 'ignored', error: 'refs/heads/feature is not the default branch' });
    expect(tasks).to.deep.equal([]);
  });

  it('retries a failed task when an operator replays its delivery, and only then', async () => {
    const deliveryId = randomUUID();
    const payload = push();
    await handle([item(deliveryId, payload)]);
    const [task] = (await detail(deliveryId)).tasks;
    await transitionTask(harness.db().orm.em.fork(), task!.id, 'running');
    await transitionTask(harness.db().orm.em.fork(), task!.id, 'failed');
    await handle([item(deliveryId, payload)]);
    expect((await detail(deliveryId)).tasks[0]!.status).to.equal('failed');
    expect(await handle([item(deliveryId, payload, 'operator')])).to.deep.equal(['processed']);
    expect((await detail(deliveryId)).tasks[0]!.status).to.equal('queued');
    expect(await queued()).to.include(task!.id);
  });
});
