import Koa from 'koa';
import { expect } from 'chai';
import { AppError } from '../../../src/errors/app-error.js';
import { errorMiddleware } from '../../../src/ingress/error-middleware.js';
import { requestContext } from '../../../src/ingress/request-context.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { listen, type Listening } from '../../helpers/listen.js';

/** A Koa app whose only route does what `routes` says for the request path. */
async function serve(routes: Record<string, (ctx: Koa.Context) => void>) {
  const captured = captureLogger();
  const app = new Koa();
  app.silent = true;
  app.use(requestContext(captured.logger));
  app.use(errorMiddleware());
  app.use((ctx) => {
    const route = routes[ctx.path];
    if (route) route(ctx);
  });
  return { ...captured, server: await listen(app.callback()) };
}

async function call(server: Listening, path: string, init: RequestInit = {}) {
  const response = await fetch(`${server.url}${path}`, init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as { error: Record<string, string> } };
}

describe('errorMiddleware', () => {
  let served: Awaited<ReturnType<typeof serve>>;
  const internals = 'password=hunter2 at db.internal:5432';
  beforeEach(async () => {
    served = await serve({
      '/invalid': () => {
        throw new AppError('validation_failed', 'limit must be a whole number');
      },
      '/limited': () => {
        throw new AppError('rate_limited', 'too many requests', { retryAfterSeconds: 1.2 });
      },
      '/auth': () => {
        throw new AppError('unauthorized', 'missing bearer token');
      },
      '/dependency': () => {
        throw new AppError('dependency_failed', `GitHub failed: ${internals}`);
      },
      '/bug': () => {
        throw new TypeError(`cannot read properties of undefined (${internals})`);
      },
      '/koa-413': (ctx) => ctx.throw(413, 'body too large for koa'),
      '/koa-404': (ctx) => ctx.throw(404, 'nothing here'),
      '/koa-422': (ctx) => ctx.throw(422, 'unprocessable'),
      '/empty-405': (ctx) => {
        ctx.status = 405;
      },
      '/ok': (ctx) => {
        ctx.body = { ok: true };
      },
    });
  });
  afterEach(() => served.server.close());

  it('answers an AppError with its status and, for a client error, its message and the correlation id', async () => {
    const answer = await call(served.server, '/invalid', { headers: { 'x-request-id': 'req-1' } });
    expect(answer.status).to.equal(400);
    expect(answer.body).to.deep.equal({ error: { code: 'validation_failed', message: 'limit must be a whole number', correlation_id: 'req-1' } });
  });

  it('hides the message of a server-side error and logs it once with its cause', async () => {
    for (const path of ['/dependency', '/bug']) {
      const answer = await call(served.server, path);
      expect(answer.status, path).to.equal(path === '/bug' ? 500 : 502);
      expect(answer.body.error!.message).to.equal('internal error; see the service logs for this correlation id');
      expect(JSON.stringify(answer.body)).to.not.contain('hunter2');
      expect(answer.body.error!.correlation_id).to.equal(answer.headers.get('x-request-id'));
    }
    const failures = served.records().filter((line) => line.msg === 'request failed');
    expect(failures.map((line) => line.code)).to.deep.equal(['dependency_failed', 'internal_error']);
    expect((failures[1]!.err as { name: string }).name).to.equal('TypeError');
  });

  it('logs a refused request at info, not as a failure', async () => {
    await call(served.server, '/invalid');
    expect(served.records().map((line) => [line.msg, line.level])).to.deep.include(['request refused', 30]);
    expect(served.records().some((line) => line.msg === 'request failed')).to.equal(false);
  });

  it('tells a rate-limited client when to come back, in whole seconds', async () => {
    const answer = await call(served.server, '/limited');
    expect(answer.status).to.equal(429);
    expect(answer.headers.get('retry-after')).to.equal('2');
  });

  it('challenges an unauthorized client for a bearer token', async () => {
    const answer = await call(served.server, '/auth');
    expect(answer.status).to.equal(401);
    expect(answer.headers.get('www-authenticate')).to.equal('Bearer realm="webhook-orchestrator"');
  });

  it('keeps the client status of errors Koa and ctx.throw raise', async () => {
    expect((await call(served.server, '/koa-413')).body.error).to.deep.include({ code: 'payload_too_large', message: 'body too large for koa' });
    expect((await call(served.server, '/koa-404')).body.error).to.deep.include({ code: 'not_found', message: 'nothing here' });
    const unprocessable = await call(served.server, '/koa-422');
    expect(unprocessable.status).to.equal(400);
    expect(unprocessable.body.error).to.deep.include({ code: 'bad_request', message: 'unprocessable' });
  });

  it('gives an unmatched route and an unanswered 405 the same error shape', async () => {
    const missing = await call(served.server, '/nowhere', { method: 'DELETE' });
    expect(missing.status).to.equal(404);
    expect(missing.body.error).to.deep.include({ code: 'not_found', message: 'no route for DELETE /nowhere' });
    const notAllowed = await call(served.server, '/empty-405');
    expect(notAllowed.status).to.equal(405);
    expect(notAllowed.body.error).to.deep.include({ code: 'method_not_allowed', message: 'method GET is not allowed on /empty-405' });
  });

  it('leaves a successful answer alone', async () => {
    const response = await fetch(`${served.server.url}/ok`);
    expect([response.status, await response.json()]).to.deep.equal([200, { ok: true }]);
  });
});
