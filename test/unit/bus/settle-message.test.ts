import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { AckPolicy, jetstreamManager, type Consumer, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { createDeadLetterWriter } from '../../../src/bus/dead-letter.js';
import { settleMessage } from '../../../src/bus/settle-message.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { streamState } from '../../helpers/stream-reader.js';

describe('settleMessage', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  let jsm: JetStreamManager;
  before(async () => {
    scratch = await openScratchJetStream();
    jsm = await jetstreamManager(scratch.nc);
  });
  after(() => scratch.close());

  /** A durable of its own on GITHUB holding one fresh message, as an actor receives it. */
  async function received(): Promise<{ consumer: Consumer; durable: string; message: JsMsg }> {
    const id = randomUUID();
    const durable = `settle_${id.slice(0, 8)}`;
    const subject = scratch.topology.subject(`github.settle_${id.slice(0, 8)}.none`);
    await jsm.consumers.add(scratch.topology.streams.github, { durable_name: durable, ack_policy: AckPolicy.Explicit, filter_subject: subject, ack_wait: 30_000_000_000 });
    await scratch.js.publish(subject, '{}', { msgID: id });
    const consumer = await scratch.js.consumers.get(scratch.topology.streams.github, durable);
    const message = await consumer.next({ expires: 5000 });
    if (!message) throw new Error('no message');
    return { consumer, durable, message };
  }
  const info = (durable: string) => jsm.consumers.info(scratch.topology.streams.github, durable);
  const options = () => ({ deadLetter: createDeadLetterWriter({ js: scratch.js, topology: scratch.topology }), logger: captureLogger().logger });

  it('acks: the message is done and never offered again', async () => {
    const { durable, message } = await received();
    await settleMessage(message, { kind: 'ack', outcome: 'processed' }, options());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await info(durable)).num_ack_pending).to.equal(0);
    expect((await info(durable)).ack_floor.stream_seq).to.equal(message.seq);
  });

  it('naks with the delay asked for: JetStream offers it again after that wait, not before', async () => {
    const { consumer, message } = await received();
    await settleMessage(message, { kind: 'retry', delayMs: 2000, reason: 'rate limited' }, options());
    expect(await consumer.next({ expires: 1000 }).then((m) => m ?? null)).to.equal(null);
    const again = await consumer.next({ expires: 3000 });
    expect(again?.seq).to.equal(message.seq);
    expect(again?.info.deliveryCount).to.equal(2);
    again?.ack();
  });

  it('copies a dead message to the DLQ, then terminates it', async () => {
    const dlqBefore = (await streamState(scratch.nc, scratch.topology.streams.dlq)).messages;
    const { consumer, durable, message } = await received();
    await settleMessage(message, { kind: 'dead', reason: 'permanent_failure: not a push' }, options());
    expect((await streamState(scratch.nc, scratch.topology.streams.dlq)).messages).to.equal(dlqBefore + 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Terminated on every server version this runs on (2.9 ignores a term that carries a reason).
    expect((await info(durable)).num_ack_pending).to.equal(0);
    expect(await consumer.next({ expires: 1000 }).then((m) => m ?? null)).to.equal(null);
  });

  it('never terminates a dead message whose DLQ copy failed: it is nak\'d to be offered again, and the failure logged', async () => {
    const { consumer, message } = await received();
    const { logger, records } = captureLogger();
    await settleMessage(message, { kind: 'dead', reason: 'bad' }, {
      deadLetter: async () => Promise.reject(new Error('DLQ unavailable')),
      logger,
      deadLetterRetryMs: 200,
    });
    const again = await consumer.next({ expires: 3000 });
    expect(again?.seq).to.equal(message.seq);
    again?.ack();
    expect(records().some((record) => record.msg === 'could not copy a dead message to the DLQ; it will be offered again')).to.equal(true);
  });

  it('releases with a nak without delay: offered again at once, long before ack_wait', async () => {
    const { consumer, message } = await received();
    await settleMessage(message, { kind: 'release', reason: 'stopping' }, options());
    const started = Date.now();
    const again = await consumer.next({ expires: 3000 });
    expect(again?.seq).to.equal(message.seq);
    expect(again?.info.deliveryCount).to.equal(2);
    expect(Date.now() - started).to.be.below(1000);
    again?.ack();
  });

  it('abandons without a disposition: the message stays pending until ack_wait', async () => {
    const { durable, message } = await received();
    await settleMessage(message, { kind: 'abandon', reason: 'stopping' }, options());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await info(durable)).num_ack_pending).to.equal(1);
    message.ack();
  });
});
