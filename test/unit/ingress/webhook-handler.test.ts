import { Router } from '@koa/router';
import { expect } from 'chai';
import { createReplayGuard } from '../../../src/ingress/replay-guard.js';
import { createApp } from '../../../src/ingress/create-app.js';
import { createRequestRateLimit } from '../../../src/ingress/request-rate-limit.js';
import { createShutdownGate } from '../../../src/ingress/shutdown-gate.js';
import { createWebhookHandler, WEBHOOK_PATH } from '../../../src/ingress/webhook-handler.js';
import { createMetrics, type Metrics } from '../../../src/observability/metrics.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { signedWebhook } from '../../helpers/signed-webhook.js';
import { silentLogger } from '../../helpers/test-database.js';
import { listen, type Listening } from '../../helpers/listen.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { streamState } from '../../helpers/stream-reader.js';

const SECRET = 'route-secret';

describe('createWebhookHandler', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  let server: Listening;
  let metrics: Metrics;
  before(async () => {
    scratch = await openScratchJetStream();
    metrics = createMetrics({ defaultMetrics: false });
    const router = new Router();
    router.post(
      WEBHOOK_PATH,
      createWebhookHandler({
        secrets: [SECRET],
        maxBodyBytes: 512 * 1024,
        rateLimit: createRequestRateLimit({ perAddress: 1000, global: 1000, windowMs: 60_000, metrics }),
        metrics,
        // The replay and event-age checks are tested on their own; here they let everything through.
        checkEventAge: () => undefined,
        replayGuard: createReplayGuard({
          publish: scratch.publishWebhook,
          readLast: undefined,
          stream: scratch.topology.streams.github,
          horizonMs: 0,
          metrics,
          logger: silentLogger(),
        }),
      }),
    );
    server = await listen(createApp({ logger: silentLogger(), shutdownGate: createShutdownGate(), routers: [router] }).callback());
  });
  after(async () => {
    await server.close();
    await scratch.close();
  });

  const post = async (request: { headers: Record<string, string>; body: string }) => {
    const response = await fetch(`${server.url}${WEBHOOK_PATH}`, { method: 'POST', headers: request.headers, body: request.body });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const stored = async () => (await streamState(scratch.nc, scratch.topology.streams.github)).messages;
  const outcomes = async () =>
    Object.fromEntries((await metrics.webhookRequests.get()).values.map((value) => [`${value.labels.event}/${value.labels.outcome}`, value.value]));

  it('answers 202 once the delivery is in JetStream, and says duplicate for the same delivery again', async () => {
    const request = signedWebhook({ event: 'push', payload: examplePayload('push'), secret: SECRET, deliveryId: 'route-d-1' });
    const first = await post(request);
    expect(first.status).to.equal(202);
    expect(first.body).to.deep.equal({
      status: 'accepted',
      delivery_id: 'route-d-1',
      event_type: 'push',
      result: { status: 'queued', stream: scratch.topology.streams.github, seq: first.body.result.seq },
    });
    const again = await post(request);
    expect(again.body.result).to.deep.equal({ status: 'duplicate', stream: scratch.topology.streams.github, seq: first.body.result.seq });
    expect(await stored()).to.equal(1);
    expect(await outcomes()).to.deep.include({ 'push/accepted': 1, 'push/duplicate': 1 });
  });

  it('checks the signature before parsing: a badly signed non-JSON body is 401, not 400', async () => {
    const before = await stored();
    const request = signedWebhook({ event: 'push', payload: 'not json', secret: 'another-secret' });
    expect((await post(request)).body.error.code).to.equal('invalid_signature');
    const signed = signedWebhook({ event: 'push', payload: 'not json', secret: SECRET });
    expect((await post(signed)).body.error.code).to.equal('bad_request');
    expect(await stored()).to.equal(before);
  });

  it('checks the content type and the GitHub headers before the signature', async () => {
    const wrongType = signedWebhook({ event: 'push', payload: {}, secret: 'another-secret', extraHeaders: { 'content-type': 'text/plain' } });
    expect((await post(wrongType)).status).to.equal(415);
    const noDelivery = signedWebhook({ event: 'push', payload: {}, secret: 'another-secret', extraHeaders: { 'x-github-delivery': '' } });
    expect((await post(noDelivery)).body.error.message).to.equal('missing or malformed X-GitHub-Delivery header');
  });

  it('counts a request with a malformed event header under event "unknown"', async () => {
    const request = signedWebhook({ event: 'Push Event', payload: {}, secret: SECRET });
    expect((await post(request)).body.error.message).to.equal('missing or malformed X-GitHub-Event header');
    expect(await outcomes()).to.deep.include({ 'unknown/bad_request': 1 });
  });

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    const before = await stored();
    const request = signedWebhook({ event: 'push', payload: { padding: 'x'.repeat(600 * 1024) }, secret: SECRET });
    expect((await post(request)).status).to.equal(413);
    expect(await stored()).to.equal(before);
  });
});
