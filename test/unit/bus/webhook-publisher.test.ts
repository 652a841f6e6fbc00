import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { sha256Hex } from '../../../src/bus/payload-store.js';
import { createWebhookPublisher, type PublishResult, type WebhookPublication, type WebhookPublisher } from '../../../src/bus/webhook-publisher.js';
import { GITHUB_HEADERS, ORCHESTRATOR_HEADERS } from '../../../src/contracts/message-headers.js';
import { AppError } from '../../../src/errors/app-error.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { storedMessage, streamState } from '../../helpers/stream-reader.js';
import { NATS_URL } from '../../helpers/test-nats.js';

const digestOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A push delivery with bytes of its own (so a digest of its own). */
function pushDelivery(deliveryId: string, extra: Record<string, unknown> = {}): WebhookPublication {
  const payload = Buffer.from(JSON.stringify({ ...examplePayload('push'), marker: deliveryId, ...extra }));
  return { deliveryId, event: 'push', action: undefined, payload, digest: digestOf(payload) };
}

function stored(result: PublishResult): Extract<PublishResult, { kind: 'stored' }> {
  if (result.kind !== 'stored') throw new Error(`expected the delivery stored, got ${result.kind}`);
  return result;
}

describe('createWebhookPublisher', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  let publish: WebhookPublisher;
  before(async () => {
    scratch = await openScratchJetStream();
    publish = scratch.publishWebhook;
  });
  after(() => scratch.close());
  const read = (seq: number) => storedMessage(scratch.nc, scratch.topology.streams.github, seq);
  const messages = async () => (await streamState(scratch.nc, scratch.topology.streams.github)).messages;

  it('stores a delivery on github.<event>.<action>.<digest> with GitHub’s headers, once acknowledged', async () => {
    const bytes = Buffer.from(JSON.stringify(examplePayload('pull_request', (p) => p.action === 'opened')));
    const digest = digestOf(bytes);
    const result = stored(
      await publish({ deliveryId: 'pub-1', event: 'pull_request', action: 'opened', payload: bytes, digest, hookId: '7', targetType: 'repository', targetId: '42' }),
    );
    expect(result).to.deep.include({ stream: scratch.topology.streams.github, duplicate: false, claimCheck: false });
    const message = await read(result.seq);
    expect(message.subject).to.equal(scratch.topology.subject(`github.pull_request.opened.${digest}`));
    expect(Buffer.compare(Buffer.from(message.data), bytes)).to.equal(0);
    expect(message.header.get('Nats-Msg-Id')).to.equal('pub-1');
    expect(message.header.get(GITHUB_HEADERS.delivery)).to.equal('pub-1');
    expect(message.header.get(GITHUB_HEADERS.event)).to.equal('pull_request');
    expect(message.header.get(GITHUB_HEADERS.hookId)).to.equal('7');
    expect(message.header.get(GITHUB_HEADERS.targetType)).to.equal('repository');
    expect(message.header.get(GITHUB_HEADERS.targetId)).to.equal('42');
    expect(message.header.get(ORCHESTRATOR_HEADERS.action)).to.equal('opened');
    expect(new Date(message.header.get(ORCHESTRATOR_HEADERS.receivedAt)).getTime()).to.not.be.NaN;
    expect(message.header.has('Nats-Expected-Last-Subject-Sequence'), 'no expectation asked for').to.equal(false);
  });

  it('publishes an event without action on github.<event>.none.<digest>, without the action header', async () => {
    const delivery = pushDelivery('pub-2');
    const message = await read(stored(await publish(delivery)).seq);
    expect(message.subject).to.equal(scratch.topology.subject(`github.push.none.${delivery.digest}`));
    expect(message.header.has(ORCHESTRATOR_HEADERS.action)).to.equal(false);
    expect(message.header.has(GITHUB_HEADERS.hookId)).to.equal(false);
  });

  it('answers a repeated delivery as a duplicate of the stored one', async () => {
    const first = stored(await publish(pushDelivery('pub-3')));
    const again = stored(await publish(pushDelivery('pub-3')));
    expect(again).to.deep.include({ seq: first.seq, duplicate: true });
  });

  it('puts a payload too large for a message in the object store and publishes its reference', async () => {
    const delivery = pushDelivery('pub-4', { padding: 'x'.repeat(1_100_000) });
    const result = stored(await publish(delivery));
    expect(result.claimCheck).to.equal(true);
    const message = await read(result.seq);
    expect(message.data.length).to.equal(0);
    expect(message.header.get(ORCHESTRATOR_HEADERS.payloadRef)).to.equal(`${scratch.topology.payloadBucket}/pub-4`);
    expect(message.header.get(ORCHESTRATOR_HEADERS.payloadSha256)).to.equal(sha256Hex(delivery.payload));
  });

  describe('expecting the body’s subject to be new', () => {
    it('stores the first delivery of a body and refuses the same body under another id, storing nothing', async () => {
      const first = pushDelivery('pub-claim-1');
      const result = stored(await publish(first, { expectLastSeq: 0 }));
      expect(result.duplicate).to.equal(false);
      const before = await messages();
      const replay = await publish({ ...first, deliveryId: 'pub-claim-2' }, { expectLastSeq: 0 });
      expect(replay).to.deep.equal({ kind: 'body_seen', subject: scratch.topology.subject(`github.push.none.${first.digest}`) });
      expect(await messages()).to.equal(before);
    });

    it('lets JetStream’s duplicate window answer the same id first: a duplicate with the stored sequence', async () => {
      const delivery = pushDelivery('pub-claim-3');
      const first = stored(await publish(delivery, { expectLastSeq: 0 }));
      expect(await publish(delivery, { expectLastSeq: 0 })).to.deep.include({ kind: 'stored', seq: first.seq, duplicate: true });
    });

    it('stores a body again when told which message is the subject’s last (a forgotten body)', async () => {
      const delivery = pushDelivery('pub-claim-4');
      const first = stored(await publish(delivery, { expectLastSeq: 0 }));
      const again = stored(await publish({ ...delivery, deliveryId: 'pub-claim-5' }, { expectLastSeq: first.seq }));
      expect(again.seq).to.be.greaterThan(first.seq);
      expect((await scratch.readLastDelivery(scratch.topology.subject(`github.push.none.${delivery.digest}`)))?.deliveryId).to.equal('pub-claim-5');
    });

    it('does not upload a claim-checked body the stream already holds', async () => {
      const delivery = pushDelivery('pub-claim-big-1', { padding: 'y'.repeat(1_100_000) });
      expect(stored(await publish(delivery, { expectLastSeq: 0 })).claimCheck).to.equal(true);
      const replay = await publish({ ...delivery, deliveryId: 'pub-claim-big-2' }, { expectLastSeq: 0 });
      expect(replay.kind).to.equal('body_seen');
      const objects = await new Objm(scratch.nc).open(scratch.topology.payloadBucket);
      expect(await objects.info('pub-claim-big-1')).to.not.equal(null);
      expect(await objects.info('pub-claim-big-2')).to.equal(null);
    });

    it('answers unavailable, not body_seen, when the server refuses the publish for another reason', async () => {
      const jsm = await jetstreamManager(scratch.nc);
      const name = scratch.topology.streams.github;
      const { config } = await jsm.streams.info(name);
      // A full stream that discards new messages refuses every publish.
      await jsm.streams.update(name, { ...config, max_msgs: await messages(), discard: 'new' as typeof config.discard });
      try {
        const error = await publish(pushDelivery('pub-claim-full'), { expectLastSeq: 0 }).then(
          (result) => result,
          (thrown: unknown) => thrown,
        );
        expect(error).to.be.instanceOf(AppError).and.to.include({ code: 'unavailable' });
      } finally {
        await jsm.streams.update(name, config);
      }
      expect(stored(await publish(pushDelivery('pub-claim-full'), { expectLastSeq: 0 })).duplicate).to.equal(false);
    });
  });

  it('refuses with unavailable and a retry hint when JetStream does not acknowledge', async () => {
    const nc = await connect({ servers: NATS_URL });
    const closedPublish = createWebhookPublisher({
      nc,
      js: jetstream(nc),
      topology: scratch.topology,
      payloadStore: scratch.payloadStore,
      readLast: scratch.readLastDelivery,
      timeoutMs: 1000,
      retryAfterSeconds: 7,
    });
    await nc.close();
    const error = await closedPublish(pushDelivery('pub-5')).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).to.be.instanceOf(AppError);
    expect(error).to.include({ code: 'unavailable', retryAfterSeconds: 7 });
    expect((error as AppError).cause).to.be.instanceOf(Error);
  });
});
