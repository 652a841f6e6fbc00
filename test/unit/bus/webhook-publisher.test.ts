import { expect } from 'chai';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { sha256Hex } from '../../../src/bus/payload-store.js';
import { createWebhookPublisher, type WebhookPublisher } from '../../../src/bus/webhook-publisher.js';
import { GITHUB_HEADERS, ORCHESTRATOR_HEADERS } from '../../../src/contracts/message-headers.js';
import { AppError } from '../../../src/errors/app-error.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { storedMessage } from '../../helpers/stream-reader.js';
import { NATS_URL } from '../../helpers/test-nats.js';

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

  it('stores a delivery on github.<event>.<action> with GitHub’s headers, once acknowledged', async () => {
    const bytes = Buffer.from(JSON.stringify(examplePayload('pull_request', (p) => p.action === 'opened')));
    const result = await publish({ deliveryId: 'pub-1', event: 'pull_request', action: 'opened', payload: bytes, hookId: '7', targetType: 'repository', targetId: '42' });
    expect(result).to.deep.include({ stream: scratch.topology.streams.github, duplicate: false, claimCheck: false });
    const message = await read(result.seq);
    expect(message.subject).to.equal(scratch.topology.subject('github.pull_request.opened'));
    expect(Buffer.compare(Buffer.from(message.data), bytes)).to.equal(0);
    expect(message.header.get('Nats-Msg-Id')).to.equal('pub-1');
    expect(message.header.get(GITHUB_HEADERS.delivery)).to.equal('pub-1');
    expect(message.header.get(GITHUB_HEADERS.event)).to.equal('pull_request');
    expect(message.header.get(GITHUB_HEADERS.hookId)).to.equal('7');
    expect(message.header.get(GITHUB_HEADERS.targetType)).to.equal('repository');
    expect(message.header.get(GITHUB_HEADERS.targetId)).to.equal('42');
    expect(message.header.get(ORCHESTRATOR_HEADERS.action)).to.equal('opened');
    expect(new Date(message.header.get(ORCHESTRATOR_HEADERS.receivedAt)).getTime()).to.not.be.NaN;
  });

  it('publishes an event without action on github.<event>.none, without the action header', async () => {
    const result = await publish({ deliveryId: 'pub-2', event: 'push', action: undefined, payload: Buffer.from('{}') });
    const message = await read(result.seq);
    expect(message.subject).to.equal(scratch.topology.subject('github.push.none'));
    expect(message.header.has(ORCHESTRATOR_HEADERS.action)).to.equal(false);
    expect(message.header.has(GITHUB_HEADERS.hookId)).to.equal(false);
  });

  it('answers a repeated delivery as a duplicate of the stored one', async () => {
    const first = await publish({ deliveryId: 'pub-3', event: 'push', action: undefined, payload: Buffer.from('{}') });
    const again = await publish({ deliveryId: 'pub-3', event: 'push', action: undefined, payload: Buffer.from('{}') });
    expect(again).to.deep.include({ seq: first.seq, duplicate: true });
  });

  it('puts a payload too large for a message in the object store and publishes its reference', async () => {
    const bytes = Buffer.from(JSON.stringify({ ...examplePayload('push'), padding: 'x'.repeat(1_100_000) }));
    const result = await publish({ deliveryId: 'pub-4', event: 'push', action: undefined, payload: bytes });
    expect(result.claimCheck).to.equal(true);
    const message = await read(result.seq);
    expect(message.data.length).to.equal(0);
    expect(message.header.get(ORCHESTRATOR_HEADERS.payloadRef)).to.equal(`${scratch.topology.payloadBucket}/pub-4`);
    expect(message.header.get(ORCHESTRATOR_HEADERS.payloadSha256)).to.equal(sha256Hex(bytes));
  });

  it('refuses with unavailable and a retry hint when JetStream does not acknowledge', async () => {
    const nc = await connect({ servers: NATS_URL });
    const closedPublish = createWebhookPublisher({ nc, js: jetstream(nc), topology: scratch.topology, payloadStore: scratch.payloadStore, timeoutMs: 1000, retryAfterSeconds: 7 });
    await nc.close();
    const error = await closedPublish({ deliveryId: 'pub-5', event: 'push', action: undefined, payload: Buffer.from('{}') }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).to.be.instanceOf(AppError);
    expect(error).to.include({ code: 'unavailable', retryAfterSeconds: 7 });
    expect((error as AppError).cause).to.be.instanceOf(Error);
  });
});
