import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { API_DISABLED_MESSAGE } from '../../../src/api/bearer-auth.js';
import { managementOperations } from '../../../src/api/management-operations.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database.js';
import { API_TOKEN, ERROR_FIELDS, startApiHarness, type Answer, type ApiHarness } from './management-api-harness.js';

// One concrete request per management operation, so that every route is checked, not a sample.
const EXAMPLE_PATHS: Record<string, string> = {
  '/api/v1/tasks/:id': `/api/v1/tasks/${randomUUID()}`,
  '/api/v1/tasks/:id/retry': `/api/v1/tasks/${randomUUID()}/retry`,
  '/api/v1/deliveries/:delivery_id': `/api/v1/deliveries/${randomUUID()}`,
  '/api/v1/deliveries/:delivery_id/replay': `/api/v1/deliveries/${randomUUID()}/replay`,
  '/api/v1/dead-letters/:id/redrive': '/api/v1/dead-letters/3/redrive',
};
const requests = Object.values(managementOperations).map((operation) => ({
  method: operation.method.toUpperCase(),
  path: EXAMPLE_PATHS[operation.path] ?? operation.path,
}));

describe('createManagementRouter: every route behind the bearer token', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let api: ApiHarness;

  before(async () => {
    db = await createTestDatabase();
    api = await startApiHarness(db);
  });
  after(async () => {
    await api?.close();
    await db?.close();
  });

  function expectUnauthorized(answer: Answer, message: string) {
    expect(answer.status).to.equal(401);
    expect(answer.headers.get('www-authenticate')).to.match(/^Bearer\b/);
    expect(Object.keys(answer.body.error)).to.have.members(ERROR_FIELDS);
    expect(answer.body.error).to.include({ code: 'unauthorized', message });
    expect(answer.body.error.correlation_id).to.equal(answer.headers.get('x-request-id'));
  }

  for (const { method, path } of requests) {
    it(`refuses ${method} ${path.replace(/[0-9a-f-]{36}/, ':id')} without a token, and with a wrong one`, async () => {
      expectUnauthorized(await api.call(method, path, { token: null }), 'missing bearer token: send Authorization: Bearer <API_TOKEN>');
      expectUnauthorized(await api.call(method, path, { token: 'not-the-token-at-all' }), 'invalid bearer token');
      expectUnauthorized(await api.call(method, path, { token: API_TOKEN.slice(0, -1) }), 'invalid bearer token');
      expectUnauthorized(await api.call(method, path, { token: `${API_TOKEN}x` }), 'invalid bearer token');
    });
  }

  it('checks the token before validating, so a stranger learns nothing about parameters', async () => {
    expectUnauthorized(await api.call('GET', '/api/v1/tasks?limit=1001', { token: null }), 'missing bearer token: send Authorization: Bearer <API_TOKEN>');
    expectUnauthorized(await api.call('GET', '/api/v1/tasks/not-a-uuid', { token: 'wrong-wrong-wrong' }), 'invalid bearer token');
  });

  it('refuses other schemes and malformed headers', async () => {
    for (const authorization of [`Basic ${Buffer.from(`x:${API_TOKEN}`).toString('base64')}`, API_TOKEN, 'Bearer', 'Bearer ']) {
      const answer = await api.call('GET', '/api/v1/tasks', { authorization });
      expect(answer.status, authorization).to.equal(401);
    }
  });

  it('accepts the token whatever the case of the scheme, as RFC 7235 requires', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const answer = await api.call('GET', '/api/v1/tasks', { authorization: `${scheme} ${API_TOKEN}` });
      expect(answer.status, scheme).to.equal(200);
    }
  });

  it('never writes the token to the logs', async () => {
    await api.call('GET', '/api/v1/tasks');
    await api.call('POST', `/api/v1/tasks/${randomUUID()}/retry`);
    await api.call('GET', '/api/v1/tasks', { token: 'wrong-wrong-wrong' });
    expect(api.lines.join('\n')).not.to.include(API_TOKEN);
  });

  it('serves /openapi.json and /docs without a token', async () => {
    expect((await api.call('GET', '/openapi.json', { token: null })).status).to.equal(200);
    expect((await api.call('GET', '/docs', { token: null })).status).to.equal(200);
  });

  describe('with API_TOKEN unset', () => {
    let closed: ApiHarness;
    before(async () => {
      closed = await startApiHarness(db, { apiToken: undefined });
    });
    after(async () => {
      await closed?.close();
    });

    for (const { method, path } of requests) {
      it(`refuses ${method} ${path.replace(/[0-9a-f-]{36}/, ':id')}: the management API is disabled`, async () => {
        expectUnauthorized(await closed.call(method, path, { token: null }), API_DISABLED_MESSAGE);
        expectUnauthorized(await closed.call(method, path, { token: 'any-token-at-all-whatsoever' }), API_DISABLED_MESSAGE);
        expect(closed.ports.requeueTask.called || closed.ports.replayDelivery.called).to.equal(false);
        expect(closed.ports.listDeadLetters.called || closed.ports.redriveDeadLetter.called).to.equal(false);
      });
    }

    it('still serves the documentation', async () => {
      expect((await closed.call('GET', '/openapi.json', { token: null })).status).to.equal(200);
    });
  });
});
