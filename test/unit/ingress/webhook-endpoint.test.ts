import { Router } from '@koa/router';
import { expect } from 'chai';
import { createIngressPriority } from '../../../src/ingress/ingress-priority.js';
import { createReplayGuard } from '../../../src/ingress/replay-guard.js';
import { createApp } from '../../../src/ingress/create-app.js';
import { createRequestRateLimit } from '../../../src/ingress/request-rate-limit.js';
import { createShutdownGate } from '../../../src/ingress/shutdown-gate.js';
import { createWebhookEndpoint } from '../../../src/ingress/webhook-endpoint.js';
import { WEBHOOK_PATH } from '../../../src/ingress/webhook-handler.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { silentLogger } from '../../helpers/test-database.js';
import { listen, type Listening } from '../../helpers/listen.js';

describe('createWebhookEndpoint', () => {
  let server: Listening;
  const published: unknown[] = [];
  const priority = createIngressPriority();
  let inFlightDuringCheck: number | undefined;
  before(async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const limit = createRequestRateLimit({ perAddress: 1000, global: 1000, windowMs: 1000, metrics });
    const endpoint = createWebhookEndpoint({
      secrets: ['endpoint-secret'],
      maxBodyBytes: 1024,
      rateLimit: {
        check: (address: string) => {
          inFlightDuringCheck = priority.inFlight;
          return limit.check(address);
        },
      },
      metrics,
      checkEventAge: () => undefined,
      replayGuard: createReplayGuard({
        // None of these requests is signed, so none may reach the bus.
        publish: async (publication) => {
          published.push(publication);
          throw new Error('an unsigned request reached publish');
        },
        readLast: undefined,
        stream: 'GITHUB',
        horizonMs: 0,
        metrics,
        logger: silentLogger(),
      }),
    }, priority);
    const router = new Router();
    router.get('/health/live', (ctx) => {
      ctx.body = { status: 'alive' };
    });
    server = await listen(createApp({ logger: silentLogger(), shutdownGate: createShutdownGate(), endpoints: [endpoint], routers: [router] }).callback());
  });
  after(() => server.close());
  afterEach(() => expect(published).to.deep.equal([]));

  it('receives POSTs on the webhook path', async () => {
    const response = await fetch(`${server.url}${WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'd-1' },
      body: '{}',
    });
    expect(response.status).to.equal(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('invalid_signature');
    // Counted in flight while it was handled, and no longer once refused (the actors' pause ends).
    expect(inFlightDuringCheck).to.equal(1);
    expect(priority.inFlight).to.equal(0);
  });

  it('refuses other methods on the webhook path, saying GitHub POSTs', async () => {
    const response = await fetch(`${server.url}${WEBHOOK_PATH}`);
    expect(response.status).to.equal(405);
    expect(response.headers.get('allow')).to.equal('POST');
    expect(((await response.json()) as { error: { message: string } }).error.message).to.equal(
      `method GET is not allowed on ${WEBHOOK_PATH}; GitHub POSTs`,
    );
  });

  it('leaves every other path to the routers', async () => {
    expect(await (await fetch(`${server.url}/health/live`)).json()).to.deep.equal({ status: 'alive' });
    expect((await fetch(`${server.url}${WEBHOOK_PATH}/extra`, { method: 'POST' })).status).to.equal(404);
  });
});
