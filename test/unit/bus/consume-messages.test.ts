import { expect } from 'chai';
import { AckPolicy, jetstreamManager, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { firstValueFrom, take, toArray } from 'rxjs';
import { consumeMessages } from '../../../src/bus/consume-messages.js';
import { createPullCredit } from '../../../src/bus/pull-credit.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { silentLogger } from '../../helpers/test-database.js';

describe('consumeMessages', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  let jsm: JetStreamManager;
  before(async () => {
    scratch = await openScratchJetStream();
    jsm = await jetstreamManager(scratch.nc);
  });
  after(() => scratch.close());

  /** A durable of its own on `subject` holding `count` messages. */
  async function durableWith(name: string, count: number) {
    const subject = scratch.topology.subject(`github.${name}.none`);
    await jsm.consumers.add(scratch.topology.streams.github, { durable_name: name, ack_policy: AckPolicy.Explicit, filter_subject: subject, ack_wait: 30_000_000_000 });
    for (let i = 0; i < count; i += 1) await scratch.js.publish(subject, `${i}`, { msgID: `${name}-${i}` });
    return scratch.js.consumers.get(scratch.topology.streams.github, name);
  }

  it('emits the durable\'s messages in order across pulls, acking none of them', async () => {
    const consumer = await durableWith('cm_order', 5);
    const messages = await firstValueFrom(consumeMessages({ consumer, batch: 2, logger: silentLogger(), expiresMs: 1000 }).pipe(take(5), toArray()));
    expect(messages.map((m) => new TextDecoder().decode(m.data))).to.deep.equal(['0', '1', '2', '3', '4']);
    const info = await jsm.consumers.info(scratch.topology.streams.github, 'cm_order');
    expect(info.num_ack_pending).to.equal(5);
    messages.forEach((m) => m.ack());
  });

  it('keeps pulling while subscribed: a message published later arrives', async () => {
    const consumer = await durableWith('cm_later', 0);
    const arrived = firstValueFrom(consumeMessages({ consumer, batch: 4, logger: silentLogger(), expiresMs: 1000 }).pipe(take(1)));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await scratch.js.publish(scratch.topology.subject('github.cm_later.none'), 'late');
    const message: JsMsg = await arrived;
    expect(new TextDecoder().decode(message.data)).to.equal('late');
    message.ack();
  });

  it('with a credit, holds no more messages than its free slots and pulls again as they are released', async () => {
    const consumer = await durableWith('cm_credit', 5);
    const credit = createPullCredit(2);
    const received: JsMsg[] = [];
    const subscription = consumeMessages({ consumer, batch: 10, logger: silentLogger(), expiresMs: 1000, credit }).subscribe((m) => received.push(m));
    try {
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(received.map((m) => m.string())).to.deep.equal(['0', '1']);
      expect((await jsm.consumers.info(scratch.topology.streams.github, 'cm_credit')).num_ack_pending).to.equal(2);
      received[0]!.ack();
      credit.release();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received.map((m) => m.string())).to.deep.equal(['0', '1', '2']);
      expect(credit.used, 'the pull asked for the free slot only').to.equal(2);
    } finally {
      subscription.unsubscribe();
      received.slice(1).forEach((m) => m.ack());
    }
  });

  it('hands back what a pull still open delivers after unsubscribing, so it waits in JetStream rather than until ack_wait', async () => {
    const consumer = await durableWith('cm_stop', 0);
    const subscription = consumeMessages({ consumer, batch: 4, logger: silentLogger(), expiresMs: 3000 }).subscribe();
    await new Promise((resolve) => setTimeout(resolve, 300));
    subscription.unsubscribe();
    await scratch.js.publish(scratch.topology.subject('github.cm_stop.none'), 'after');
    // The pull still open on the server takes it and is handed it back: it is offered again within
    // seconds (the pull's expiry), not after the consumer's 30 s ack_wait.
    const again = await consumer.next({ expires: 6000 });
    expect(again && new TextDecoder().decode(again.data)).to.equal('after');
    expect(again!.info.deliveryCount).to.be.greaterThan(1);
    again?.ack();
  });
});
