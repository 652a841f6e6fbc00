import { expect } from 'chai';
import { postWebhook } from '../../helpers/signed-webhook.js';
import { createOwnNatsServer, type OwnNatsServer } from '../../helpers/own-nats-server.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { streamState } from '../../helpers/stream-reader.js';

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
    const started = Date.now();
    const during = await postWebhook(service.url, { event: 'ping', payload: { zen: 'down' }, secret: TEST_SECRET });
    const tookMs = Date.now() - started;
    expect(during.status).to.equal(503);
    expect(during.body!.error.code).to.equal('unavailable');
    expect(Number(during.headers.get('retry-after'))).to.be.greaterThan(0);
    // Bounded well under GitHub's 10 s: the publish timeout (1 s here) plus overhead.
    expect(tookMs).to.be.lessThan(5000);

    const health = await fetch(`${service.url}/health`);
    expect(health.status).to.equal(503);
    expect(((await health.json()) as { status: string }).status).to.equal('unhealthy');
    expect((await fetch(`${service.url}/health/ready`)).status).to.equal(503);

    await nats.start();
    let after = await postWebhook(service.url, { event: 'ping', payload: { zen: 'back' }, secret: TEST_SECRET });
    for (let i = 0; i < 40 && after.status !== 202; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await postWebhook(service.url, { event: 'ping', payload: { zen: 'back' }, secret: TEST_SECRET });
    }
    expect(after.status).to.equal(202);
    // The 503'd delivery was not accepted; the two 202s are both there (file storage survived the restart).
    const state = await streamState(service.nats.nc, service.topology.streams.github);
    expect(state.messages).to.equal(2);
  });
});
