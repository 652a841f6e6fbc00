import { expect } from 'chai';
import { createApiClient } from '../../../src/cli/api-client.js';
import { CliError } from '../../../src/cli/cli-error.js';
import { listen, type Listening } from '../../helpers/listen.js';
import { freePort } from '../../helpers/tcp.js';

describe('createApiClient', () => {
  let server: Listening;
  const seen: Array<{ method: string; url: string; authorization: string | undefined }> = [];
  before(async () => {
    server = await listen((request, response) => {
      seen.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization });
      const status = Number(new URL(request.url!, 'http://x').searchParams.get('answer') ?? 200);
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status < 300 ? { ok: true } : { error: { code: `code_${status}`, message: `said ${status}` } }));
    });
  });
  after(() => server.close());
  const client = (token?: string) => createApiClient({ baseUrl: `${server.url}/`, token, fetch });
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as CliError);

  it('calls the path with the bearer token and the query values given, and resolves with the JSON answer', async () => {
    expect(await client('tok-1234567890abcdef').call('GET', '/api/v1/tasks', { status: 'failed', limit: 5, repository: undefined, offset: '' })).to.deep.equal({ ok: true });
    expect(seen.at(-1)).to.deep.equal({ method: 'GET', url: '/api/v1/tasks?status=failed&limit=5', authorization: 'Bearer tok-1234567890abcdef' });
    await client().call('POST', '/api/v1/tasks/x/retry');
    expect(seen.at(-1)).to.deep.equal({ method: 'POST', url: '/api/v1/tasks/x/retry', authorization: undefined });
  });

  it('maps an answer to the CLI\'s exit codes, with the API\'s own message', async () => {
    const cases: Array<[number, string, number]> = [
      [404, 'not_found', 3],
      [400, 'usage', 2],
      [503, 'unreachable', 4],
      [409, 'failed', 1],
      [500, 'failed', 1],
    ];
    for (const [status, kind, exitCode] of cases) {
      const error = await failure(client().call('GET', '/x', { answer: status }));
      expect(error, String(status)).to.be.instanceOf(CliError);
      expect(error).to.include({ kind, exitCode, message: `GET /x: ${status} code_${status}: said ${status}` });
    }
  });

  it('adds how to fix a 401: set API_TOKEN', async () => {
    expect((await failure(client().call('GET', '/x', { answer: 401 })))!.message).to.equal("GET /x: 401 code_401: said 401 (set API_TOKEN to the service's token)");
  });

  it('fails as unreachable, naming the service and why, when nothing answers', async () => {
    const base = `http://127.0.0.1:${await freePort()}`;
    const error = await failure(createApiClient({ baseUrl: base, token: undefined, fetch }).call('GET', '/x'));
    expect(error).to.include({ kind: 'unreachable', message: `cannot reach the service at ${base} (ECONNREFUSED); is it running? (ORCHESTRATOR_URL, --url)` });
  });
});
