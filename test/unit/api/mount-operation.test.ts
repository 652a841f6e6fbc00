import { Router } from '@koa/router';
import { expect } from 'chai';
import { z } from 'zod';
import { defineOperation } from '../../../src/api/api-operation.js';
import { bearerAuth } from '../../../src/api/bearer-auth.js';
import { mountOperation } from '../../../src/api/mount-operation.js';
import { NO_PARAMETERS, pageQueryFields } from '../../../src/api/schemas/common-schemas.js';
import { createApp } from '../../../src/ingress/create-app.js';
import { createShutdownGate } from '../../../src/ingress/shutdown-gate.js';
import { silentLogger } from '../../helpers/test-database.js';
import { listen, type Listening } from '../../helpers/listen.js';

const TOKEN = 'mount-operation-token-0123456789';

const listThings = defineOperation({
  operationId: 'listThings',
  method: 'get',
  path: '/things/:kind',
  tags: ['things'],
  summary: 'List things of a kind',
  auth: 'bearer',
  params: z.strictObject({ kind: z.enum(['red', 'blue']) }),
  query: z.strictObject({ ...pageQueryFields }),
  responses: { 200: { description: 'things' } },
});

const ping = defineOperation({
  operationId: 'ping',
  method: 'post',
  path: '/ping',
  tags: ['service'],
  summary: 'Ping',
  auth: 'none',
  params: NO_PARAMETERS,
  query: z.strictObject({}),
  responses: { 200: { description: 'pong' } },
});

describe('mountOperation', () => {
  let server: Listening;
  before(async () => {
    const router = new Router();
    const auth = bearerAuth({ token: TOKEN });
    mountOperation(router, listThings, auth, async (ctx, request) => {
      ctx.body = { params: request.params, query: request.query };
    });
    mountOperation(router, ping, auth, async (ctx) => {
      ctx.body = { pong: true };
    });
    server = await listen(createApp({ logger: silentLogger(), shutdownGate: createShutdownGate(), routers: [router] }).callback());
  });
  after(() => server.close());

  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${server.url}${path}`, init);
    return { status: response.status, cacheControl: response.headers.get('cache-control'), body: (await response.json()) as Record<string, any> };
  };
  const authorized = { headers: { authorization: `Bearer ${TOKEN}` } };

  it('hands the handler the validated parameters and query, defaults applied, never cached', async () => {
    expect(await call('/things/red?limit=5', authorized)).to.deep.equal({
      status: 200,
      cacheControl: 'no-store',
      body: { params: { kind: 'red' }, query: { limit: 5, offset: 0 } },
    });
  });

  it('authenticates before validating, so an anonymous caller learns nothing from validation messages', async () => {
    const anonymous = await call('/things/green?limit=abc');
    expect(anonymous.status).to.equal(401);
    expect(anonymous.body.error.code).to.equal('unauthorized');
    const invalid = await call('/things/green?limit=abc', authorized);
    expect(invalid.status).to.equal(400);
    expect(invalid.body.error.code).to.equal('validation_failed');
    expect(invalid.body.error.message).to.contain('kind').and.to.contain('limit');
  });

  it('serves an operation without auth on its method only', async () => {
    expect(await call('/ping', { method: 'POST' })).to.deep.include({ status: 200, body: { pong: true }, cacheControl: null });
    expect((await call('/ping')).status).to.equal(405);
  });
});
