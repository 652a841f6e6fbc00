import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { jetstreamManager } from '@nats-io/jetstream';
import { createDeliveryMessageReader, type ReadDeliveryMessage } from '../../../src/bus/read-delivery-message.js';
import type { WebhookDelivery } from '../../../src/effects/db/entities/webhook-delivery.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';

describe('createDeliveryMessageReader', function () {
  this.timeout(30_000);
  let scratch: ScratchJetStream;
  let read: ReadDeliveryMessage;
  before(async () => {
    scratch = await openScratchJetStream();
    read = createDeliveryMessageReader({ jsm: await jetstreamManager(scratch.nc), stream: scratch.topology.streams.github, payloadStore: scratch.payloadStore });
  });
  after(() => scratch.close());
  // The body's digest is the subject's last token (publishStored's default digest: the payload's SHA-256).
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

  const delivery = (deliveryId: string, streamSeq: number | null) => ({ deliveryId, streamSeq }) as WebhookDelivery;
  const publish = async (deliveryId: string, payload: Uint8Array) =>
    (await scratch.publishStored({ deliveryId, event: 'push', action: undefined, payload, hookId: '77' })).seq;

  it('reads a delivery\'s message by its sequence: subject, time, every header and the payload\'s size, without the payload unless asked', async () => {
    const payload = new TextEncoder().encode('{"ref":"refs/heads/main"}');
    const seq = await publish('rd-1', payload);
    const message = await read(delivery('rd-1', seq), { withPayload: false });
    expect(message).to.deep.include({ stream: scratch.topology.streams.github, seq, subject: scratch.topology.subject(`github.push.none.${sha256(payload)}`), payload_bytes: payload.length, claim_check: false });
    expect(message!.headers['X-GitHub-Delivery']).to.deep.equal(['rd-1']);
    expect(message!.headers['X-GitHub-Hook-ID']).to.deep.equal(['77']);
    expect(Date.parse(message!.stored_at)).to.be.closeTo(Date.now(), 60_000);
    expect(message).to.not.have.property('payload');
    expect((await read(delivery('rd-1', seq), { withPayload: true }))!.payload).to.deep.equal(payload);
  });

  it('reads a claim-checked payload back from the object store, with its size', async () => {
    const payload = new TextEncoder().encode(JSON.stringify({ blob: 'x'.repeat(1_200_000) }));
    const seq = await publish('rd-2', payload);
    const message = await read(delivery('rd-2', seq), { withPayload: true });
    expect(message).to.deep.include({ claim_check: true, payload_bytes: payload.length });
    expect(Buffer.from(message!.payload!).equals(Buffer.from(payload))).to.equal(true);
  });

  it('finds nothing for a delivery without a sequence, or whose sequence now holds another delivery', async () => {
    const seq = await publish('rd-3', new TextEncoder().encode('{}'));
    expect(await read(delivery('rd-3', null), { withPayload: false })).to.equal(null);
    expect(await read(delivery('someone-else', seq), { withPayload: false })).to.equal(null);
    expect(await read(delivery('rd-3', seq + 1000), { withPayload: false })).to.equal(null);
  });
});
