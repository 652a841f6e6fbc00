import { Router } from '@koa/router';
import Koa from 'koa';
import { expect } from 'chai';
import { allowedMethods } from '../../../src/ingress/allowed-methods.js';
import { errorMiddleware } from '../../../src/ingress/error-middleware.js';
import { listen, type Listening } from '../../helpers/listen.js';

describe('allowedMethods', () => {
  let server: Listening;
  before(async () => {
    const router = new Router();
    router.get('/things', (ctx) => {
      ctx.body = { things: [] };
    });
    router.post('/things', (ctx) => {
      ctx.status = 201;
      ctx.body = { created: true };
    });
    const app = new Koa();
    app.use(errorMiddleware());
    app.use(router.routes());
    app.use(allowedMethods(router));
    server = await listen(app.callback());
  });
  after(() => server.close());

  it('answers a known path asked with another method 405 method_not_allowed, with Allow', async () => {
    const response = await fetch(`${server.url}/things`, { method: 'DELETE' });
    expect(response.status).to.equal(405);
    expect(response.headers.get('allow')).to.equal('HEAD, GET, POST');
    expect(((await response.json()) as any).error).to.include({ code: 'method_not_allowed', message: 'method DELETE is not allowed on /things; allowed: HEAD, GET, POST' });
  });

  it('answers a method the router does not implement at all 405 too, not 501', async () => {
    const response = await fetch(`${server.url}/things`, { method: 'PROPFIND' });
    expect(response.status).to.equal(405);
    expect(((await response.json()) as any).error.code).to.equal('method_not_allowed');
  });

  it('leaves an unknown path a 404 whatever the method, without Allow', async () => {
    for (const method of ['GET', 'DELETE', 'PROPFIND']) {
      const response = await fetch(`${server.url}/nothing-here`, { method });
      expect(response.status, method).to.equal(404);
      expect(response.headers.get('allow')).to.equal(null);
    }
  });

  it('keeps the router\'s answer to OPTIONS and lets the served methods through', async () => {
    const options = await fetch(`${server.url}/things`, { method: 'OPTIONS' });
    expect(options.status).to.equal(200);
    expect(options.headers.get('allow')).to.equal('HEAD, GET, POST');
    expect((await fetch(`${server.url}/things`, { method: 'POST' })).status).to.equal(201);
  });
});
