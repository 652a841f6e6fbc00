import { expect } from 'chai';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import { AckPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { createGithubEventActor } from '../../../src/actors/create-github-event-actor.js';
import { planPullRequest } from '../../../src/actors/pull-request/plan-pull-request.js';
import { createPayloadStore } from '../../../src/bus/payload-store.js';
import { createTaskPublisher } from '../../../src/bus/task-publisher.js';
import { getDelivery } from '../../../src/effects/db/delivery-store.js';
import { listTasks } from '../../../src/effects/db/task-store.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { publishRawDelivery } from '../../helpers/publish-raw-delivery.js';
import { startTestService, type TestService } from '../../helpers/start-test-service.js';
import { streamState } from '../../helpers/stream-reader.js';
import { waitFor } from '../../helpers/wait-for.js';

/** A real `pull_request.opened` example, made into a distinct pull request. */
function openedPullRequest(number: number, repository = 'Codertocat/Hello-World'): Record<string, unknown> {
  const payload = examplePayload('pull_request', (p) => p.action === 'opened');
  const pr = payload.pull_request as Record<string, unknown>;
  pr.number = number;
  pr.id = 9_000_000 + number;
  (pr.head as Record<string, unknown>).sha = number.toString(16).padStart(40, 'a');
  (payload.repository as Record<string, unknown>).full_name = repository;
  payload.number = number;
  return payload;
}

describe('micro-batches', function () {
  this.timeout(60_000);
  const services: TestService[] = [];
  afterEach(async () => {
    for (const service of services.splice(0).reverse()) await service.dispose().catch(() => undefined);
  });

  /** Publishes while no actor runs, so the next instance pulls everything as one batch. */
  async function backlog(deliveries: Array<{ deliveryId: string; payload: Record<string, unknown> }>) {
    const quiet = await startTestService({ ACTORS_ENABLED: 'false' });
    for (const delivery of deliveries) {
      await publishRawDelivery(quiet.nats.nc, quiet.topology, { ...delivery, event: 'pull_request' });
    }
    await quiet.close();
    return { namespace: quiet.namespace, databaseName: quiet.databaseName, dispose: quiet.dispose };
  }

  it('dead-letters the one message whose data PostgreSQL refuses, with its reason, and processes its neighbours', async () => {
    const good = [1, 2, 3, 4, 5].map((n) => ({ deliveryId: randomUUID(), payload: openedPullRequest(100 + n) }));
    // A NUL character can never be stored in a text column: this message can never succeed.
    const poison = { deliveryId: randomUUID(), payload: openedPullRequest(106, 'Codertocat/Hello\u0000World') };
    const state = await backlog([good[0]!, good[1]!, poison, good[2]!, good[3]!, good[4]!]);
    const service = await startTestService({}, { namespace: state.namespace, databaseName: state.databaseName });
    services.push(service);

    const dead = await waitFor(async () => {
      const page = await service.managementActions.listDeadLetters({ limit: 10, offset: 0 });
      return page.dead_letters.find((letter) => letter.delivery_id === poison.deliveryId);
    }, { message: 'the poison message in the DLQ' });
    expect(dead.reason).to.match(/permanent_failure: the database refused this message's data/);
    for (const { deliveryId } of good) {
      const detail = await waitFor(async () => (await getDelivery(service.database.orm.em.fork(), deliveryId)) ?? undefined, { message: `delivery ${deliveryId}` });
      expect(detail.delivery.outcome).to.equal('processed');
      expect(detail.tasks.map((task) => task.taskType)).to.deep.equal(['pull_request_analysis']);
    }
    const page = await service.managementActions.listDeadLetters({ limit: 10, offset: 0 });
    expect(page.dead_letters.map((letter) => letter.delivery_id)).to.deep.equal([poison.deliveryId]);
    const records = service.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.some((record) => record.msg === 'batch failed; splitting it to isolate the message at fault')).to.equal(true);
  });

  it('creates no second row, task or TASKS message when a committed batch is delivered again (its ack was lost)', async () => {
    const deliveries = [1, 2, 3, 4, 5].map((n) => ({ deliveryId: randomUUID(), payload: openedPullRequest(200 + n) }));
    const state = await backlog(deliveries);
    const service = await startTestService({ ACTORS_ENABLED: 'false' }, { namespace: state.namespace, databaseName: state.databaseName });
    services.push(service);
    const { nc } = service.nats;
    const stream = service.topology.streams.github;

    // The batch as the pull_request actor would get it: real messages from the stream.
    const jsm = await jetstreamManager(nc);
    const durable = `batch_test_${randomUUID().slice(0, 8)}`;
    await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit });
    const consumer = await jetstream(nc).consumers.get(stream, durable);
    const fetched: JsMsg[] = [];
    for await (const message of await consumer.fetch({ max_messages: 5, expires: 5000 })) {
      fetched.push(message);
      if (fetched.length === 5) break;
    }
    expect(fetched).to.have.length(5);

    const publishTask = createTaskPublisher({ js: jetstream(nc), topology: service.topology });
    const actor = createGithubEventActor({
      name: 'pull_request',
      durables: [durable],
      plan: planPullRequest,
      payloadStore: await createPayloadStore({ nc, bucket: service.topology.payloadBucket }),
      publishTask,
      onTransition: () => undefined,
    });
    const { logger } = captureLogger();
    const items = await Promise.all(fetched.map(async (message) => ({ input: await actor.decode(message), message, log: logger, trace: ROOT_CONTEXT })));
    const context = { em: service.database.orm.em.fork(), log: logger, working: () => undefined, stopping: () => false };

    const first = await actor.handleBatch(items, context);
    const tasksAfterCommit = (await streamState(nc, service.topology.streams.tasks)).messages;
    // The process died before acking: JetStream hands the same batch over again.
    const again = await actor.handleBatch(items, { ...context, em: service.database.orm.em.fork() });

    expect(first).to.deep.equal(['processed', 'processed', 'processed', 'processed', 'processed']);
    expect(again).to.deep.equal(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(tasksAfterCommit).to.equal(5);
    expect((await streamState(nc, service.topology.streams.tasks)).messages, 'no task queued twice').to.equal(5);
    const em = service.database.orm.em.fork();
    const tasks = await listTasks(em, { taskType: 'pull_request_analysis' }, { limit: 100, offset: 0 });
    expect(tasks.total).to.equal(5);
    for (const { deliveryId } of deliveries) {
      const detail = await getDelivery(em, deliveryId);
      expect(detail?.delivery.timesSeen).to.equal(2);
      expect(detail?.delivery.outcome).to.equal('processed');
      expect(detail?.tasks).to.have.length(1);
    }
    for (const message of fetched) message.ack();
  });
});
