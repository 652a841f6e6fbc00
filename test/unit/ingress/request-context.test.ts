import Koa from 'koa';
import { expect } from 'chai';
import { requestContext } from '../../../src/ingress/request-context.js';
import type { Logger } from '../../../src/observability/logger.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { listen, type Listening } from '../../helpers/listen.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestContext', () => {
  let server: Listening;
  let captured: ReturnType<typeof captureLogger>;
  beforeEach(async () => {
    captured = captureLogger();
    const app = new Koa();
    app.use(requestContext(captured.logger));
    app.use((ctx) => {
      (ctx.state.log as Logger).info('handled');
      ctx.body = { requestId: ctx.state.requestId };
    });
    server = await listen(app.callback());
  });
  afterEach(() => server.close());

  async function idFor(headers: Record<string, string>): Promise<{ echoed: string | null; state: string }> {
    const response = await fetch(server.url, { headers });
    const body = (await response.json()) as { requestId: string };
    return { echoed: response.headers.get('x-request-id'), state: body.requestId };
  }

  it('uses the GitHub delivery id on webhooks, even over a caller’s request id', async () => {
    const id = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
    expect(await idFor({ 'x-github-delivery': id, 'x-request-id': 'other' })).to.deep.equal({ echoed: id, state: id });
  });

  it('echoes a safe caller request id', async () => {
    expect(await idFor({ 'x-request-id': 'trace:abc-1.2_3' })).to.deep.equal({ echoed: 'trace:abc-1.2_3', state: 'trace:abc-1.2_3' });
  });

  it('makes a new UUID when the given ids are unsafe to echo or missing', async () => {
    const cases: Array<Record<string, string>> = [{}, { 'x-request-id': 'a b<script>' }, { 'x-request-id': 'x'.repeat(129) }, { 'x-github-delivery': 'no/slashes' }];
    for (const headers of cases) {
      const { echoed, state } = await idFor(headers);
      expect(echoed, JSON.stringify(headers)).to.match(UUID);
      expect(state).to.equal(echoed);
    }
  });

  it('hands the request a logger that writes the correlation id on every line', async () => {
    await idFor({ 'x-request-id': 'req-42' });
    expect(captured.records().map((line) => [line.msg, line.correlation_id])).to.deep.equal([['handled', 'req-42']]);
  });
});

describe('requestContext’s logger', () => {
  it('is made on first use only, once per request', async () => {
    const captured = captureLogger();
    let children = 0;
    const child = captured.logger.child.bind(captured.logger);
    captured.logger.child = ((...args: Parameters<Logger['child']>) => {
      children += 1;
      return child(...args);
    }) as Logger['child'];
    const app = new Koa();
    app.use(requestContext(captured.logger));
    app.use((ctx) => {
      if (ctx.get('x-log') === 'twice') {
        (ctx.state.log as Logger).info('first');
        (ctx.state.log as Logger).info('second');
      }
      ctx.status = 204;
    });
    const server = await listen(app.callback());
    try {
      await fetch(server.url, { headers: { 'x-request-id': 'quiet' } });
      expect(children, 'a request that logs nothing').to.equal(0);
      await fetch(server.url, { headers: { 'x-request-id': 'loud', 'x-log': 'twice' } });
      expect(children, 'a request that logs twice').to.equal(1);
      expect(captured.records().map((line) => [line.msg, line.correlation_id])).to.deep.equal([
        ['first', 'loud'],
        ['second', 'loud'],
      ]);
    } finally {
      await server.close();
    }
  });
});
