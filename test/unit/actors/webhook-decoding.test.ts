import { expect } from 'chai';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { webhookDecoding } from '../../../src/actors/webhook-decoding.js';
import { GITHUB_HEADERS, ORCHESTRATOR_HEADERS } from '../../../src/contracts/message-headers.js';
import type { WebhookEnvelope } from '../../../src/contracts/webhook-envelope.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';

describe('webhookDecoding', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  before(async () => {
    scratch = await openScratchJetStream();
  });
  after(() => scratch.close());

  const delivered = async (deliveryId: string, event: string) => {
    const payload = new TextEncoder().encode(JSON.stringify({ action: 'opened', number: 7 }));
    const { seq } = await scratch.publishStored({ deliveryId, event, action: 'opened', payload });
    return scratch.messageAt(scratch.topology.streams.github, seq);
  };

  /** An operator's replay of a delivery, as the management actions publish it. */
  const replayed = async (deliveryId: string, replayOf: string) => {
    const headers = natsHeaders();
    headers.set(GITHUB_HEADERS.delivery, deliveryId);
    headers.set(GITHUB_HEADERS.event, 'push');
    headers.set(ORCHESTRATOR_HEADERS.replayOf, replayOf);
    const { seq } = await scratch.js.publish(scratch.topology.subject('github.push.none'), '{}', { headers, msgID: `${deliveryId}-replay` });
    return scratch.messageAt(scratch.topology.streams.github, seq);
  };

  it('reads from the GITHUB stream and decodes a delivery with its payload', async () => {
    const decoding = webhookDecoding(scratch.payloadStore);
    expect(decoding.stream).to.equal('GITHUB');
    const envelope = await decoding.decode(await delivered('wd-1', 'pull_request'));
    expect(envelope).to.deep.include({ deliveryId: 'wd-1', event: 'pull_request', action: 'opened' });
    expect(envelope.payload).to.deep.equal({ action: 'opened', number: 7 });
  });

  it('does not read the payload of an event the actor only glances at', async () => {
    const decoding = webhookDecoding(scratch.payloadStore, (event) => event === 'pull_request');
    expect((await decoding.decode(await delivered('wd-2', 'pull_request'))).payload).to.deep.equal({});
    expect((await decoding.decode(await delivered('wd-3', 'issues'))).payload).to.deep.equal({ action: 'opened', number: 7 });
  });

  it('dedupes by the delivery id, but never an operator\'s replay', async () => {
    const decoding = webhookDecoding(scratch.payloadStore);
    const message = await delivered('wd-4', 'push');
    expect(message.headers?.get(GITHUB_HEADERS.delivery)).to.equal('wd-4');
    expect(decoding.dedupeKey(message)).to.equal('wd-4');
    expect(decoding.dedupeKey(await replayed('wd-5', 'operator-1'))).to.equal(undefined);
  });

  it('puts the delivery, the event and any replay on the log lines', () => {
    const decoding = webhookDecoding(scratch.payloadStore);
    const envelope = { deliveryId: 'wd-6', event: 'push', replayOf: undefined } as WebhookEnvelope;
    expect(decoding.logFields(envelope)).to.deep.equal({ delivery_id: 'wd-6', event: 'push' });
    expect(decoding.logFields({ ...envelope, replayOf: 'op-2' })).to.deep.equal({ delivery_id: 'wd-6', event: 'push', replay_of: 'op-2' });
  });
});
