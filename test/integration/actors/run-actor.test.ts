import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { AckPolicy, jetstreamManager, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { ActorDefinition, ItemResult } from '../../../src/actors/actor-definition.js';
import { runActor, type RunningActor } from '../../../src/actors/run-actor.js';
import { createDeadLetterWriter } from '../../../src/bus/dead-letter.js';
import { ORCHESTRATOR_HEADERS } from '../../../src/contracts/message-headers.js';
import { AppError } from '../../../src/errors/app-error.js';
import { createIngressPriority } from '../../../src/ingress/ingress-priority.js';
import { createMetrics, type Metrics } from '../../../src/observability/metrics.js';
import { createCircuitBreaker, type CircuitBreaker } from '../../../src/operators/circuit-breaker.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { storedMessage, streamState } from '../../helpers/stream-reader.js';
import { silentLogger, useTestDatabase } from '../../helpers/test-database.js';
import { waitFor } from '../../helpers/wait-for.js';
/** What a test message asks the handler to do with it. */
interface Input {
  id: string;
  /** ok: processed; permanent: fails for good; poison: fails its whole batch; once: fails its first delivery only. */
  kind: 'ok' | 'permanent' | 'poison' | 'once';
}

describe('runActor', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  let scratch: ScratchJetStream;
  let metrics: Metrics;
  let databaseBreaker: CircuitBreaker;
  let running: RunningActor | undefined;
  /** Per message id, each time the handler saw it: its delivery count and the batch size. */
  let handled: Map<string, Array<{ delivery: number; batch: number }>>;
  let dead: Map<string, string>;
  // A namespace per test: a stopped runner's last pull may still receive messages published after
  // it (they come back only after ack_wait), which would blur the next test's deliveries.
  beforeEach(async () => {
    scratch = await openScratchJetStream();
    metrics = createMetrics({ defaultMetrics: false });
    databaseBreaker = createCircuitBreaker({ name: 'database', coolDownMs: 60_000, failureThreshold: 3 });
    handled = new Map();
    dead = new Map();
  });
  afterEach(async () => {
    await running?.stop(5000);
    running = undefined;
    databaseBreaker.dispose();
    await scratch.close();
  });

  const definition: ActorDefinition<Input> = {
    name: 'test_push',
    stream: 'GITHUB',
    durables: ['actor_push'],
    async decode(message) {
      const input = JSON.parse(message.string()) as Partial<Input>;
      if (typeof input.id !== 'string') throw new AppError('permanent_failure', 'not a test message');
      return input as Input;
    },
    logFields: (input) => ({ id: input.id }),
    batch: { maxSize: 8, maxWaitMs: 50 },
    async handleBatch(items) {
      for (const item of items) {
        handled.set(item.input.id, [...(handled.get(item.input.id) ?? []), { delivery: item.message.info.deliveryCount, batch: items.length }]);
      }
      if (items.some((item) => item.input.kind === 'poison')) throw new AppError('permanent_failure', 'this batch holds a poison message');
      return items.map((item) => {
        if (item.input.kind === 'permanent') return { error: new AppError('permanent_failure', `no such thing as ${item.input.id}`) };
        if (item.input.kind === 'once' && item.message.info.deliveryCount === 1) return { error: new AppError('rate_limited', 'wait a moment', { retryAfterSeconds: 0.2 }) };
        return 'processed';
      });
    },
    async onDead(input, reason) {
      dead.set(input.id, reason);
    },
  };
  const start = (priority?: ReturnType<typeof createIngressPriority>) => {
    running = runActor(definition, {
      ...(priority ? { admitBatch: (batch) => priority.admit(batch), waitTurn: () => priority.waitTurn() } : {}),
      js: scratch.js,
      orm: db().orm,
      topology: scratch.topology,
      logger: silentLogger(),
      metrics,
      deadLetter: createDeadLetterWriter({ js: scratch.js, topology: scratch.topology }),
      databaseBreaker,
    });
  };
  const publish = async (payload: unknown) => {
    const { seq } = await scratch.js.publish(scratch.topology.subject(`github.push.${randomUUID()}`), JSON.stringify(payload));
    return seq;
  };
  const send = async (kinds: Input['kind'][]) => {
    const ids: string[] = [];
    for (const kind of kinds) {
      const id = `${kind}-${randomUUID().slice(0, 8)}`;
      ids.push(id);
      await publish({ id, kind });
    }
    return ids;
  };
  const settledCount = async (outcome: string) =>
    (await metrics.eventsProcessed.get()).values.find((value) => value.labels.actor === 'test_push' && value.labels.outcome === outcome)?.value ?? 0;
  const idle = () =>
    waitFor(async () => {
      const info = await (await scratch.js.consumers.get(scratch.topology.streams.github, 'actor_push')).info(true);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, { message: 'the consumer to be idle' });
  const deadLetters = async () => {
    const { lastSeq, messages } = await streamState(scratch.nc, scratch.topology.streams.dlq);
    const reasons: string[] = [];
    for (let seq = lastSeq - messages + 1; seq <= lastSeq; seq++) {
      reasons.push((await storedMessage(scratch.nc, scratch.topology.streams.dlq, seq)).header.get(ORCHESTRATOR_HEADERS.deadReason));
    }
    return reasons;
  };

  it('handles the messages of its durable in micro-batches and acks each once', async () => {
    const ids = await send(['ok', 'ok', 'ok', 'ok', 'ok']);
    start();

    await idle();
    expect(ids.map((id) => handled.get(id)?.length)).to.deep.equal([1, 1, 1, 1, 1]);
    expect(Math.max(...ids.map((id) => handled.get(id)![0]!.batch))).to.be.greaterThan(1);
    expect(await settledCount('processed')).to.be.at.least(5);
  });

  it('splits a failing batch until the message at fault stands alone: its neighbours are processed, it goes to the DLQ with its reason', async () => {
    start();
    await idle();
    const before = (await deadLetters()).length;
    const [first, poison, last] = await send(['ok', 'poison', 'ok']);

    await waitFor(() => dead.has(poison!), { message: 'the poison message to die' });
    await idle();
    expect(handled.get(first!)!.at(-1)!.batch).to.equal(1);
    expect(handled.get(poison!)!.at(-1)!.batch).to.equal(1);
    expect(handled.get(last!)!.at(-1)!.batch).to.equal(1);
    expect(dead.get(poison!)).to.include('this batch holds a poison message');
    expect([dead.has(first!), dead.has(last!)]).to.deep.equal([false, false]);
    expect((await deadLetters()).slice(before)).to.have.length(1);
  });

  it('dead-letters a message failing for good and one that cannot be decoded, without retrying them', async () => {
    start();
    await idle();
    const before = (await deadLetters()).length;
    const [permanent] = await send(['permanent']);
    await publish({ not: 'a test message' });

    await waitFor(async () => (await deadLetters()).length === before + 2, { message: 'two dead letters' });
    expect(handled.get(permanent!)!.map((seen) => seen.delivery)).to.deep.equal([1]);
    expect((await deadLetters()).slice(before).sort()).to.deep.equal([`permanent_failure: no such thing as ${permanent}`, 'permanent_failure: not a test message'].sort());
    expect(dead.get(permanent!)).to.equal(`permanent_failure: no such thing as ${permanent}`);
  });

  it('gives a message that failed for the moment back to JetStream with its delay, and handles its redelivery', async () => {
    start();
    const [once] = await send(['once']);

    await waitFor(() => handled.get(once!)?.length === 2, { message: 'the redelivery' });
    await idle();
    expect(handled.get(once!)!.map((seen) => seen.delivery)).to.deep.equal([1, 2]);
    expect(await settledCount('retry')).to.equal(1);
    expect(dead.has(once!)).to.equal(false);
  });

  it('pulls nothing while the database breaker is open, and resumes by a probe once its cool-down is over', async () => {
    databaseBreaker.dispose();
    databaseBreaker = createCircuitBreaker({ name: 'database', coolDownMs: 1000, failureThreshold: 3 });
    for (let i = 0; i < 3; i++) databaseBreaker.recordFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect(databaseBreaker.state).to.equal('open');
    start();
    const [waiting] = await send(['ok']);

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(handled.has(waiting!)).to.equal(false);
    await waitFor(() => handled.has(waiting!), { message: 'the message to be handled by the half-open probe' });
    await waitFor(() => databaseBreaker.state === 'closed', { message: 'the breaker to close' });
  });

  it('steps back while the webhook endpoint is crowded: one batch, then a pause until the crowd is gone', async () => {
    const priority = createIngressPriority({ crowdedAt: 2, memoryMs: 50, share: 1_000_000, maxPauseMs: 60_000 });
    priority.enter();
    priority.enter();
    const ids = await send(Array.from({ length: 20 }, () => 'ok' as const));
    start(priority);
    await waitFor(() => handled.size > 0, { message: 'a first batch' });
    await sleep(300);
    // The batch that took the slot ran; the pause after it holds every other batch back.
    expect(handled.size, 'handled while crowded').to.be.within(1, 8);
    priority.leave();
    priority.leave();
    await idle();
    expect(ids.map((id) => handled.get(id)?.length)).to.deep.equal(ids.map(() => 1));
  });

  it('stops pulling on stop: a message published afterwards waits in JetStream', async () => {
    start();
    await idle();
    await running!.stop(5000);
    running = undefined;
    const [later] = await send(['ok']);

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(handled.has(later!)).to.equal(false);
    start();
    await waitFor(() => handled.has(later!), { message: 'the next run to take it' });
  });
});

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

describe('runActor: what it holds and hands back', function () {
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
    // Acks are sent without waiting for the server: give them a moment, far below the 30 s
    // ack_wait after which an unacked message would be pending again.
    const settled = await waitFor(
      async () => {
        const info = await jsm.consumers.info(scratch.topology.streams.tasks, durable);
        return info.num_ack_pending + info.num_pending === 0 ? 0 : undefined;
      },
      { timeoutMs: 3000, message: 'the one in flight finished and acked' },
    ).catch(async () => {
      const info = await jsm.consumers.info(scratch.topology.streams.tasks, durable);
      return info.num_ack_pending + info.num_pending;
    });
    expect(settled, 'the one in flight finished and acked').to.equal(0);
  });
});
