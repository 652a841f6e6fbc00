import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from '@koa/router';
import { expect } from 'chai';
import { API_DISABLED_MESSAGE, bearerAuth } from '../../../src/api/bearer-auth.js';
import { createApp } from '../../../src/ingress/create-app.js';
import { createShutdownGate } from '../../../src/ingress/shutdown-gate.js';
import { silentLogger } from '../../helpers/test-database.js';

const TOKEN = 'unit-test-token-with-some-length';

async function serve(token: string | undefined): Promise<{ url: string; server: Server }> {
  const router = new Router();
  router.get('/secret', bearerAuth({ token }), (ctx) => {
    ctx.body = { ok: true };
  });
  const app = createApp({ logger: silentLogger(), shutdownGate: createShutdownGate(), routers: [router] });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/secret` };
}

async function get(url: string, authorization?: string) {
  const response = await fetch(url, { headers: authorization === undefined ? {} : { authorization } });
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: (await response.json()) as any };
}

describe('bearerAuth', () => {
  const servers: Server[] = [];
  after(() => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('lets the request through with the right token', async () => {
    const { url, server } = await serve(TOKEN);
    servers.push(server);
    expect(await get(url, `Bearer ${TOKEN}`)).to.deep.include({ status: 200, body: { ok: true } });
    expect((await get(url, `bearer   ${TOKEN}  `)).status).to.equal(200);
  });

  it('refuses a missing, wrong, truncated or differently-schemed token with 401 and a Bearer challenge', async () => {
    const { url, server } = await serve(TOKEN);
    servers.push(server);
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'missing bearer token: send Authorization: Bearer <API_TOKEN>'],
      ['Bearer wrong', 'invalid bearer token'],
      [`Bearer ${TOKEN.slice(1)}`, 'invalid bearer token'],
      [`Bearer ${TOKEN} extra`, 'invalid bearer token'],
      [`Token ${TOKEN}`, 'invalid bearer token'],
      ['Bearer', 'invalid bearer token'],
    ];
    for (const [authorization, message] of cases) {
      const answer = await get(url, authorization);
      expect(answer.status, String(authorization)).to.equal(401);
      expect(answer.challenge).to.match(/^Bearer realm=/);
      expect(answer.body.error).to.include({ code: 'unauthorized', message });
    }
  });

  for (const token of [undefined, '']) {
    it(`closes the API when API_TOKEN is ${token === undefined ? 'unset' : 'empty'}, whatever the caller sends`, async () => {
      const { url, server } = await serve(token);
      servers.push(server);
      for (const authorization of [undefined, 'Bearer ', `Bearer ${TOKEN}`, 'Bearer undefined']) {
        const answer = await get(url, authorization);
        expect(answer.status).to.equal(401);
        expect(answer.challenge).to.match(/^Bearer/);
        expect(answer.body.error).to.include({ code: 'unauthorized', message: API_DISABLED_MESSAGE });
      }
    });
  }
});
