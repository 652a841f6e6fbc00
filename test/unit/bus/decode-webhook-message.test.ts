import { expect } from 'chai';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { decodeWebhookMessage } from '../../../src/bus/decode-webhook-message.js';
import type { PayloadStore } from '../../../src/bus/payload-store.js';
import { GITHUB_HEADERS, ORCHESTRATOR_HEADERS } from '../../../src/contracts/message-headers.js';
import { AppError } from '../../../src/errors/app-error.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';

describe('decodeWebhookMessage', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  let payloadStore: PayloadStore;
  let publish: ScratchJetStream['publishStored'];
  before(async () => {
    scratch = await openScratchJetStream();
    ({ payloadStore, publishStored: publish } = scratch);
  });
  after(() => scratch.close());

  const publishRaw = async (headers: Record<string, string>, data: string | Uint8Array) => {
    const h = natsHeaders();
    for (const [name, value] of Object.entries(headers)) h.set(name, value);
    return (await scratch.js.publish(scratch.topology.subject('github.push.none'), data, { headers: h })).seq;
  };
  const github = () => scratch.topology.streams.github;

  it('decodes a delivery as ingress published it, headers and payload', async () => {
    const payload = examplePayload('pull_request', (p) => p.action === 'opened');
    const published = await publish({
      deliveryId: 'd-decode-1',
      event: 'pull_request',
      action: 'opened',
      payload: Buffer.from(JSON.stringify(payload)),
      hookId: '123456',
      targetType: 'repository',
      targetId: '35129377',
    });
    const envelope = await decodeWebhookMessage(await scratch.messageAt(github(), published.seq), payloadStore);
    expect(envelope).to.deep.include({
      deliveryId: 'd-decode-1',
      event: 'pull_request',
      action: 'opened',
      hookId: '123456',
      targetType: 'repository',
      targetId: '35129377',
      streamSeq: published.seq,
      replayOf: undefined,
    });
    expect(envelope.payload).to.deep.equal(payload);
    expect(envelope.receivedAt).to.be.instanceOf(Date);
    expect(Number.isNaN(envelope.receivedAt.getTime())).to.equal(false);
  });

  it('reads a claim-checked payload back from the object store', async () => {
    const payload = { ...examplePayload('push'), padding: 'x'.repeat(1_100_000) };
    const published = await publish({ deliveryId: 'd-decode-big', event: 'push', action: undefined, payload: Buffer.from(JSON.stringify(payload)) });
    expect(published.claimCheck).to.equal(true);
    const envelope = await decodeWebhookMessage(await scratch.messageAt(github(), published.seq), payloadStore);
    expect(envelope.payload).to.deep.equal(payload);
  });

  it('leaves the payload unread when asked to', async () => {
    const seq = await publishRaw({ [GITHUB_HEADERS.delivery]: 'd-headers-only', [GITHUB_HEADERS.event]: 'push' }, 'not even JSON');
    const envelope = await decodeWebhookMessage(await scratch.messageAt(github(), seq), payloadStore, { readPayload: false });
    expect(envelope).to.deep.include({ deliveryId: 'd-headers-only', payload: {} });
  });

  it('takes the receipt time from the header when present and marks an operator’s replay', async () => {
    const seq = await publishRaw(
      {
        [GITHUB_HEADERS.delivery]: 'd-replay',
        [GITHUB_HEADERS.event]: 'push',
        [ORCHESTRATOR_HEADERS.receivedAt]: '2026-11-28T10:00:00.000Z',
        [ORCHESTRATOR_HEADERS.replayOf]: 'd-original',
      },
      '{}',
    );
    const envelope = await decodeWebhookMessage(await scratch.messageAt(github(), seq), payloadStore);
    expect(envelope.receivedAt.toISOString()).to.equal('2026-11-28T10:00:00.000Z');
    expect(envelope.replayOf).to.equal('d-original');
  });

  const refusal = async (headers: Record<string, string>, data: string) => {
    const message = await scratch.messageAt(github(), await publishRaw(headers, data));
    try {
      await decodeWebhookMessage(message, payloadStore);
    } catch (error) {
      return error as AppError;
    }
    throw new Error('expected decodeWebhookMessage to refuse the message');
  };
  const named = { [GITHUB_HEADERS.delivery]: 'd-bad', [GITHUB_HEADERS.event]: 'push' };

  it('refuses as permanent a message without its delivery or event header', async () => {
    const error = await refusal({ [GITHUB_HEADERS.event]: 'push' }, '{}');
    expect(error).to.be.instanceOf(AppError);
    expect(error.code).to.equal('permanent_failure');
    expect(error.message).to.match(/lacks the X-GitHub-Delivery or X-GitHub-Event header/);
  });

  it('refuses as permanent a payload that is not a JSON object', async () => {
    expect(await refusal(named, '{"truncated":')).to.include({ code: 'permanent_failure' });
    expect((await refusal(named, '[1,2]')).message).to.match(/does not hold a JSON object/);
    expect((await refusal(named, 'null')).message).to.match(/does not hold a JSON object/);
  });

  it('refuses as permanent a claim check whose bytes do not match their digest', async () => {
    const stored = await payloadStore.put('d-tampered', Buffer.from('{"a":1}'));
    const error = await refusal({ ...named, [ORCHESTRATOR_HEADERS.payloadRef]: stored.ref, [ORCHESTRATOR_HEADERS.payloadSha256]: '0'.repeat(64) }, '');
    expect(error).to.include({ code: 'permanent_failure' });
    expect(error.message).to.match(/does not match its digest/);
  });
});
