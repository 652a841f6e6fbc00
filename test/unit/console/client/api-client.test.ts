import { expect } from 'chai';
import { useClientModulesPage } from '../../../helpers/client-modules-page.js';

const TOKEN = 'console-token-0123456789';

describe('the console\'s API client', function () {
  this.timeout(10_000);
  const seen: Array<{ method: string; url: string; authorization: string | undefined }> = [];
  // The management API's answers, as the service gives them (the one error body).
  const page = useClientModulesPage(['api-client'], (request, response) => {
    seen.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization });
    const authorized = request.headers.authorization === `Bearer ${TOKEN}`;
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (!authorized) return send(401, { error: { code: 'unauthorized', message: 'invalid bearer token', correlation_id: 'c' } });
    if (request.url === '/api/v1/tasks/missing') return send(404, { error: { code: 'not_found', message: 'no task missing', correlation_id: 'c' } });
    send(200, { ok: request.url });
  });

  it('calls the API with the bearer token and returns the answer', async () => {
    expect(await page().run(`return modules['api-client'].createApiClient(${JSON.stringify(TOKEN)}, () => {}).get('/api/v1/tasks');`)).to.deep.equal({ ok: '/api/v1/tasks' });
    expect(seen.at(-1)).to.deep.equal({ method: 'GET', url: '/api/v1/tasks', authorization: `Bearer ${TOKEN}` });
    await page().run(`return modules['api-client'].createApiClient(${JSON.stringify(TOKEN)}, () => {}).post('/api/v1/tasks/t/retry');`);
    expect(seen.at(-1)!.method).to.equal('POST');
  });

  it('turns an error answer into an ApiError with the API\'s code and message', async () => {
    expect(
      await page().run(`
        try { await modules['api-client'].createApiClient(${JSON.stringify(TOKEN)}, () => {}).get('/api/v1/tasks/missing'); }
        catch (error) { return [error.name, error.status, error.code, error.message]; }
      `),
    ).to.deep.equal(['ApiError', 404, 'not_found', 'no task missing']);
  });

  it('signs the operator out on a 401: the token is no longer accepted', async () => {
    expect(
      await page().run(`
        let signedOut = false;
        try { await modules['api-client'].createApiClient('old-token-0123456789', () => { signedOut = true; }).get('/api/v1/tasks'); }
        catch (error) { return [signedOut, error.status]; }
      `),
    ).to.deep.equal([true, 401]);
  });

  it('checks a token: accepted, refused, or the API disabled', async () => {
    expect(await page().run(`return modules['api-client'].checkToken(${JSON.stringify(TOKEN)});`)).to.equal('accepted');
    expect(await page().run(`return modules['api-client'].checkToken('wrong-token-0123456789');`)).to.equal('refused');
  });
});
