import { Router } from '@koa/router';
import type { Context, Next } from 'koa';
import { expect } from 'chai';
import { createApp } from '../../../src/ingress/create-app.js';
import { createShutdownGate } from '../../../src/ingress/shutdown-gate.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { listen, type Listening } from '../../helpers/listen.js';

describe('createApp', () => {
  let server: Listening;
  const gate = createShutdownGate();
  const captured = captureLogger();
  before(async () => {
    const router = new Router();
    router.get('/hello', (ctx) => {
      ctx.body = { hello: ctx.state.requestId, inFlight: gate.inFlight };
    });
    router.get('/shadowed', (ctx) => {
      ctx.body = 'router';
    });
    router.get('/fail', () => {
      throw new Error('database password leaked here');
    });
    const endpoint = async (ctx: Context, next: Next) => {
      if (ctx.path !== '/shadowed') return next();
      ctx.body = 'endpoint';
    };
    server = await listen(createApp({ logger: captured.logger, shutdownGate: gate, endpoints: [endpoint], routers: [router] }).callback());
  });
  after(() => server.close());

  it('runs routes inside the shutdown gate, with a request id', async () => {
    const response = await fetch(`${server.url}/hello`, { headers: { 'x-request-id': 'r-1' } });
    expect(await response.json()).to.deep.equal({ hello: 'r-1', inFlight: 1 });
    expect(response.headers.get('x-request-id')).to.equal('r-1');
  });

  it('tries the hot-path endpoints before any router', async () => {
    expect(await (await fetch(`${server.url}/shadowed`)).text()).to.equal('endpoint');
  });

  it('answers errors through the one error path and logs each once', async () => {
    const response = await fetch(`${server.url}/fail`);
    expect(response.status).to.equal(500);
    expect(await response.text()).to.not.contain('password');
    expect(captured.records().filter((line) => line.msg === 'request failed')).to.have.length(1);
  });

  it('answers a wrong method on a known route with the error shape, via allowedMethods', async () => {
    const response = await fetch(`${server.url}/hello`, { method: 'POST' });
    expect(response.status).to.equal(405);
    expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('method_not_allowed');
    expect(response.headers.get('allow')).to.contain('GET');
  });
});
