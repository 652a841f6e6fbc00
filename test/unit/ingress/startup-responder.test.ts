import { expect } from 'chai';
import { createStartupResponder } from '../../../src/ingress/startup-responder.js';
import { listen, type Listening } from '../../helpers/listen.js';

describe('createStartupResponder', () => {
  let server: Listening;
  let reasons: string[] = ['NATS at nats://127.0.0.1:4222: ECONNREFUSED'];
  before(async () => {
    server = await listen(createStartupResponder({ reasons: () => reasons, startedAt: Date.now() - 3000 }));
  });
  after(() => server.close());

  it('is alive: /health/live answers 200 while starting', async () => {
    const response = await fetch(`${server.url}/health/live`);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ status: 'alive', starting: true });
    expect(response.headers.get('cache-control')).to.equal('no-store');
  });

  it('is not ready: /health/ready and /health answer 503 with what it is waiting for', async () => {
    const ready = await fetch(`${server.url}/health/ready?verbose=1`);
    expect(ready.status).to.equal(503);
    expect(await ready.json()).to.deep.equal({ status: 'not_ready', reasons });
    const health = await fetch(`${server.url}/health`);
    expect(health.status).to.equal(503);
    const body = (await health.json()) as any;
    expect(body).to.deep.include({ status: 'unhealthy', checks: { starting: { status: 'down', reasons } } });
    expect(body.uptime).to.be.within(3, 5);
  });

  it('refuses every other request, a webhook included, 503 unavailable with Retry-After and the delivery id', async () => {
    const response = await fetch(`${server.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: { 'x-github-delivery': 'd-42', 'content-type': 'application/json' },
      body: '{"zen":"hi"}',
    });
    expect(response.status).to.equal(503);
    expect(response.headers.get('retry-after')).to.equal('5');
    expect(response.headers.get('x-request-id')).to.equal('d-42');
    expect(await response.json()).to.deep.equal({
      error: { code: 'unavailable', message: 'starting: NATS at nats://127.0.0.1:4222: ECONNREFUSED', correlation_id: 'd-42' },
    });
  });

  it('makes its own request id when the one given is not a plain token, and says "not ready yet" without reasons', async () => {
    reasons = [];
    const response = await fetch(`${server.url}/anything`, { headers: { 'x-request-id': 'bad id with spaces' } });
    const id = response.headers.get('x-request-id')!;
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    expect(((await response.json()) as any).error).to.deep.equal({ code: 'unavailable', message: 'starting: not ready yet', correlation_id: id });
  });
});
