import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { context as otelContext } from '@opentelemetry/api';
import { DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import type { BatchContext, BatchItem } from '../../../src/actors/actor-definition.js';
import { createGithubEventActor } from '../../../src/actors/create-github-event-actor.js';
import { planDelivery, type PlannedDelivery } from '../../../src/actors/planned-delivery.js';
import { planPush } from '../../../src/actors/push/plan-push.js';
import { createTaskPublisher } from '../../../src/bus/task-publisher.js';
import { TASK_HEADERS } from '../../../src/contracts/message-headers.js';
import { getDelivery } from '../../../src/effects/db/delivery-store.js';
import { transitionTask } from '../../../src/effects/db/task-store.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../helpers/test-database.js';
import { envelopeOf } from '../../helpers/webhook-envelope.js';

describe('createGithubEventActor', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let scratch: ScratchJetStream;
  let message: JsMsg;
  before(async () => {
    [db, scratch] = await Promise.all([createTestDatabase(), openScratchJetStream()]);
    const { seq } = await scratch.js.publish(scratch.topology.subject('github.push.none'), '{}');
    message = await scratch.messageAt(scratch.topology.streams.github, seq);
  });
  after(async () => {
    await scratch?.close();
    await db?.close();
  });

  const actor = () =>
    createGithubEventActor({
      name: 'push',
      durables: ['actor_push'],
      plan: planPush,
      payloadStore: scratch.payloadStore,
      publishTask: createTaskPublisher({ js: scratch.js, topology: scratch.topology }),
      onTransition: () => undefined,
    });
  const push = (overrides: Record<string, unknown> = {}) => {
    const payload = examplePayload('push');
    const branch = (payload.repository as { default_branch: string }).default_branch;
    return { ...payload, ref: `refs/heads/${branch}`, deleted: false, after: 'b'.repeat(40), repository: { ...(payload.repository as object), full_name: `octo/${randomUUID().slice(0, 8)}` }, ...overrides };
  };
  const item = (deliveryId: string, payload: Record<string, unknown>, replayOf?: string): BatchItem<PlannedDelivery> => ({
    input: planDelivery({ ...envelopeOf('push', payload), deliveryId, replayOf }, planPush),
    message,
    log: silentLogger(),
    trace: otelContext.active(),
  });
  const handle = (items: Array<BatchItem<PlannedDelivery>>) =>
    actor().handleBatch(items, { em: db.orm.em.fork(), log: silentLogger(), working: () => undefined, stopping: () => false } satisfies BatchContext);
  const detail = async (deliveryId: string) => (await getDelivery(db.orm.em.fork(), deliveryId))!;
  /** Task ids queued on TASKS so far. */
  const queued = async () => {
    const consumer = await scratch.js.consumers.get(scratch.topology.streams.tasks, { deliver_policy: DeliverPolicy.All });
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
    await transitionTask(db.orm.em.fork(), task!.id, 'running');
    await transitionTask(db.orm.em.fork(), task!.id, 'failed');
    await handle([item(deliveryId, payload)]);
    expect((await detail(deliveryId)).tasks[0]!.status).to.equal('failed');
    expect(await handle([item(deliveryId, payload, 'operator')])).to.deep.equal(['processed']);
    expect((await detail(deliveryId)).tasks[0]!.status).to.equal('queued');
    expect(await queued()).to.include(task!.id);
  });
});
