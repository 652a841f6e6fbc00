import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AckPolicy, jetstreamManager, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { ActorDefinition, ItemResult } from '../../../src/actors/actor-definition.js';
import { runActor, type RunningActor } from '../../../src/actors/run-actor.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { createCircuitBreaker } from '../../../src/operators/circuit-breaker.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { silentLogger, useTestDatabase } from '../../helpers/test-database.js';
import { waitFor } from '../../helpers/wait-for.js';

/** A handler that holds every batch it gets until `open()`: work in flight, as a slow GitHub call makes it. */
function gatedHandler() {
  const inHand: string[] = [];
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    inHand,
    open: () => open(),
    async handleBatch(items: ReadonlyArray<{ input: string }>): Promise<ItemResult[]> {
      inHand.push(...items.map((item) => item.input));
      await gate;
      return items.map(() => 'processed');
    },
  };
}

describe('runActor', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  let scratch: ScratchJetStream;
  let jsm: JetStreamManager;
  const running: RunningActor[] = [];
  before(async () => {
    scratch = await openScratchJetStream();
    jsm = await jetstreamManager(scratch.nc);
  });
  afterEach(async () => {
    for (const actor of running.splice(0)) await actor.stop(1000);
  });
  after(() => scratch.close());

  /** A durable of its own on TASKS (ack_wait 30 s: a redelivery within seconds is not the timer's) holding `count` messages. */
  async function durableWith(count: number) {
    const durable = `run_actor_${randomBytes(3).toString('hex')}`;
    const subject = scratch.topology.subject(`tasks.run_actor_test.${durable}`);
    await jsm.consumers.add(scratch.topology.streams.tasks, { durable_name: durable, ack_policy: AckPolicy.Explicit, filter_subject: subject, ack_wait: 30_000_000_000 });
    for (let i = 0; i < count; i += 1) await scratch.js.publish(subject, `${i}`);
    return durable;
  }

  function start(definition: Omit<ActorDefinition<string>, 'stream' | 'decode' | 'logFields'>): RunningActor {
    const actor = runActor(
      { stream: 'TASKS', decode: async (message: JsMsg) => message.string(), logFields: () => ({}), ...definition },
      {
        js: scratch.js,
        orm: db().orm,
        topology: scratch.topology,
        logger: silentLogger(),
        metrics: createMetrics({ defaultMetrics: false }),
        deadLetter: () => Promise.reject(new Error('nothing is dead-lettered here')),
        databaseBreaker: createCircuitBreaker({ name: 'database' }),
      },
    );
    running.push(actor);
    return actor;
  }

  it('holds no more than maxHeld messages while its handlers are busy: the rest stay in JetStream for another consumer', async () => {
    const durable = await durableWith(10);
    const handler = gatedHandler();
    start({ name: 'held', durables: [durable], batch: { maxSize: 1, maxWaitMs: 0 }, concurrency: 4, maxHeld: 4, handleBatch: handler.handleBatch });
    await waitFor(() => (handler.inHand.length === 4 ? true : undefined), { message: 'four messages in hand' });
    // Pulls would have gone on here without the bound (up to max_ack_pending): give them the time.
    await sleep(1500);
    const info = await jsm.consumers.info(scratch.topology.streams.tasks, durable);
    expect(info.num_ack_pending, 'held by the actor').to.equal(4);
    expect(info.num_pending, 'waiting in JetStream').to.equal(6);
    // Another instance gets the six at once.
    const other = await scratch.js.consumers.get(scratch.topology.streams.tasks, durable);
    const taken: JsMsg[] = [];
    for await (const message of await other.fetch({ max_messages: 6, expires: 2000 })) taken.push(message);
    expect(taken.map((message) => message.string()).sort()).to.deep.equal(['4', '5', '6', '7', '8', '9']);
    taken.forEach((message) => message.ack());
    handler.open();
    await waitFor(async () => ((await jsm.consumers.info(scratch.topology.streams.tasks, durable)).num_ack_pending === 0 ? true : undefined), {
      message: 'the four settled',
    });
  });

  it('keeps pulling as its messages are settled, one slot each', async () => {
    const durable = await durableWith(12);
    const seen: string[] = [];
    start({
      name: 'flowing',
      durables: [durable],
      batch: { maxSize: 2, maxWaitMs: 5 },
      maxHeld: 3,
      async handleBatch(items) {
        seen.push(...items.map((item) => item.input));
        return items.map(() => 'processed');
      },
    });
    await waitFor(() => (seen.length === 12 ? true : undefined), { message: 'all twelve handled' });
    expect([...seen].sort((a, b) => Number(a) - Number(b))).to.deep.equal(Array.from({ length: 12 }, (_, i) => `${i}`));
  });

  it('hands back at once, on stop, the messages whose batch has not begun, and finishes the one in flight', async () => {
    const durable = await durableWith(4);
    const handler = gatedHandler();
    const actor = start({ name: 'stopping', durables: [durable], batch: { maxSize: 1, maxWaitMs: 0 }, concurrency: 1, maxHeld: 4, handleBatch: handler.handleBatch });
    await waitFor(async () => ((await jsm.consumers.info(scratch.topology.streams.tasks, durable)).num_ack_pending === 4 ? true : undefined), {
      message: 'four messages held',
    });
    expect(handler.inHand).to.deep.equal(['0']);
    running.splice(running.indexOf(actor), 1);
    const stopped = actor.stop(10_000);
    // Offered again within moments, not after the consumer's 30 s ack_wait.
    const other = await scratch.js.consumers.get(scratch.topology.streams.tasks, durable);
    const handedBack: JsMsg[] = [];
    for await (const message of await other.fetch({ max_messages: 3, expires: 3000 })) handedBack.push(message);
    expect(handedBack.map((message) => message.string())).to.deep.equal(['1', '2', '3']);
    expect(handedBack.every((message) => message.info.deliveryCount === 2)).to.equal(true);
    handedBack.forEach((message) => message.ack());
    expect(handler.inHand, 'nothing begun after the stop').to.deep.equal(['0']);
    handler.open();
    await stopped;
    const info = await jsm.consumers.info(scratch.topology.streams.tasks, durable);
    expect(info.num_ack_pending + info.num_pending, 'the one in flight finished and acked').to.equal(0);
  });
});
