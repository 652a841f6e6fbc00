import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { postWebhook } from '../../helpers/signed-webhook.js';
import { createOwnNatsServer, type OwnNatsServer } from '../../helpers/own-nats-server.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { streamState } from '../../helpers/stream-reader.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('webhook ingress when NATS stops and comes back', function () {
  this.timeout(60_000);
  let nats: OwnNatsServer;
  let service: TestService;

  before(async () => {
    nats = await createOwnNatsServer();
    await nats.start();
    service = await startTestService({ NATS_URL: nats.url, NATS_PUBLISH_TIMEOUT_MS: '1000', ACTORS_ENABLED: 'false' });
  });
  after(async () => {
    await nats.start().catch(() => undefined);
    await service?.dispose();
    await nats.dispose();
  });

  it('answers 503 unavailable with Retry-After while NATS is down, and 202 again once it is back', async () => {
    const before = await postWebhook(service.url, { event: 'ping', payload: { zen: 'up' }, secret: TEST_SECRET });
    expect(before.status).to.equal(202);

    await nats.stop();
    // The answer arrives while NATS is still stopped, so it is bounded by the publish timeout and
    // not by NATS coming back (without the timeout this await would hang the test).
    const during = await postWebhook(service.url, { event: 'ping', payload: { zen: 'down' }, secret: TEST_SECRET });
    expect(during.status).to.equal(503);
    expect(during.body!.error.code).to.equal('unavailable');
    expect(Number(during.headers.get('retry-after'))).to.be.greaterThan(0);

    const health = await fetch(`${service.url}/health`);
    expect(health.status).to.equal(503);
    expect(((await health.json()) as { status: string }).status).to.equal('unhealthy');
    expect((await fetch(`${service.url}/health/ready`)).status).to.equal(503);

    await nats.start();
    // Redeliver one delivery, as GitHub would, until JetStream is back: an attempt whose PubAck was
    // lost to the publish timeout is deduplicated by its id rather than stored twice.
    const back = { event: 'ping', payload: { zen: 'back' }, secret: TEST_SECRET, deliveryId: randomUUID() };
    const after = await waitFor(
      async () => {
        const answer = await postWebhook(service.url, back);
        return answer.status === 202 ? answer : undefined;
      },
      { timeoutMs: 40_000, intervalMs: 250, message: 'a 202 once NATS is back' },
    );
    expect(after.body!.result.stream).to.equal(service.topology.streams.github);
    // The 503'd delivery was not accepted; the two 202s are both there (file storage survived the restart).
    const state = await streamState(service.nats.nc, service.topology.streams.github);
    expect(state.messages).to.equal(2);
  });
});
