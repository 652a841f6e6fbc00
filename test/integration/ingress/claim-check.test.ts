import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { createPayloadStore } from '../../../src/bus/payload-store.js';
import { ORCHESTRATOR_HEADERS } from '../../../src/contracts/message-headers.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { createOwnNatsServer, type OwnNatsServer } from '../../helpers/own-nats-server.js';
import { signedWebhook } from '../../helpers/signed-webhook.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { storedMessage } from '../../helpers/stream-reader.js';

describe('claim check for payloads over max_payload', function () {
  this.timeout(60_000);
  let nats: OwnNatsServer;
  let service: TestService;

  before(async () => {
    nats = await createOwnNatsServer();
    await nats.start();
    service = await startTestService({ NATS_URL: nats.url, ACTORS_ENABLED: 'false' });
  });
  after(async () => {
    await service?.dispose();
    await nats.dispose();
  });

  it('accepts a 5 MB push against a default server (1 MB max_payload) and the reference resolves to the exact bytes', async () => {
    expect(service.nats.nc.info?.max_payload).to.equal(1024 * 1024);
    const payload = examplePayload('push');
    payload.padding = 'x'.repeat(5 * 1024 * 1024);
    const request = signedWebhook({ event: 'push', payload, secret: TEST_SECRET });
    const response = await fetch(`${service.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    expect(response.status).to.equal(202);
    const answer = (await response.json()) as { result: { seq: number } };

    const stored = await storedMessage(service.nats.nc, service.topology.streams.github, answer.result.seq);
    expect(stored.data.byteLength).to.equal(0);
    const ref = stored.header.get(ORCHESTRATOR_HEADERS.payloadRef);
    const digest = stored.header.get(ORCHESTRATOR_HEADERS.payloadSha256);
    expect(ref).to.equal(`${service.topology.payloadBucket}/${request.headers['x-github-delivery']}`);

    const store = await createPayloadStore({ nc: service.nats.nc, bucket: service.topology.payloadBucket });
    const bytes = await store.get(ref, digest);
    expect(Buffer.from(bytes).equals(Buffer.from(request.body))).to.equal(true);
    expect(createHash('sha256').update(bytes).digest('hex')).to.equal(digest);
  });

  it('keeps payloads under the limit inline', async () => {
    const request = signedWebhook({ event: 'ping', payload: examplePayload('ping'), secret: TEST_SECRET });
    const response = await fetch(`${service.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    const answer = (await response.json()) as { result: { seq: number } };
    const stored = await storedMessage(service.nats.nc, service.topology.streams.github, answer.result.seq);
    expect(stored.header.has(ORCHESTRATOR_HEADERS.payloadRef)).to.equal(false);
    expect(new TextDecoder().decode(stored.data)).to.equal(request.body);
  });
});
