import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { verify } from '@octokit/webhooks-methods';
import { listen, type Listening } from '../../../helpers/listen.js';
import { runCliCapture } from '../../../helpers/run-cli-capture.js';

const SECRET = 'send-command-secret-0123456789';

describe('orchestrator send', function () {
  this.timeout(20_000);
  let receiver: Listening;
  let dir: string;
  const received: Array<{ path: string; headers: Record<string, string | string[] | undefined>; body: string; signed: boolean }> = [];
  let answer: { status: number; body: unknown } = { status: 202, body: { status: 'accepted', result: { status: 'queued', seq: 17 } } };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'send-command-'));
    // A loopback receiver checking the signature with Octokit's own verifier, as GitHub's receivers do.
    receiver = await listen((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', async () => {
        const signed = await verify(SECRET, body, String(request.headers['x-hub-signature-256']));
        received.push({ path: request.url!, headers: request.headers, body, signed });
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer.body));
      });
    });
  });
  after(async () => {
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });
  const send = (...argv: string[]) => runCliCapture(['send', ...argv, '--url', receiver.url], { GITHUB_WEBHOOK_SECRET: SECRET });

  it('posts a real example as GitHub would: signed body, event, delivery and hook headers', async () => {
    const { code, out } = await send('pull_request', '--action', 'opened', '--delivery-id', 'd-send-1', '--hook-id', '42');
    expect(code).to.equal(0);
    expect(out).to.equal('pull_request d-send-1: 202 queued (stream seq 17)\n');
    const request = received.at(-1)!;
    expect(request.path).to.equal('/api/v1/webhooks/github');
    expect(request.signed).to.equal(true);
    expect(request.headers).to.include({ 'x-github-event': 'pull_request', 'x-github-delivery': 'd-send-1', 'x-github-hook-id': '42', 'content-type': 'application/json' });
    expect(String(request.headers['user-agent'])).to.match(/^GitHub-Hookshot\//);
    expect(JSON.parse(request.body).action).to.equal('opened');
  });

  it('sends a file\'s JSON as it is, under a new delivery id by default', async () => {
    const file = join(dir, 'payload.json');
    await writeFile(file, '{"zen":"Keep it logically awesome.","hook_id":1}');
    expect((await send('ping', '--file', file)).code).to.equal(0);
    expect(received.at(-1)!.body).to.equal('{"zen":"Keep it logically awesome.","hook_id":1}');
    expect(String(received.at(-1)!.headers['x-github-delivery'])).to.match(/^[0-9a-f-]{36}$/);
  });

  it('ends 1 on a refusal and 4 on a 503, printing the service\'s answer', async () => {
    answer = { status: 401, body: { error: { code: 'invalid_signature', message: 'signature does not match' } } };
    const refused = await send('ping');
    expect(refused.code).to.equal(1);
    expect(refused.out).to.match(/^ping [0-9a-f-]{36}: 401 invalid_signature: signature does not match$/m);
    answer = { status: 503, body: { error: { code: 'unavailable', message: 'NATS did not acknowledge' } } };
    expect((await send('ping')).code).to.equal(4);
    answer = { status: 202, body: { status: 'accepted', result: { status: 'queued', seq: 18 } } };
  });

  it('refuses, before sending anything, an event without example (3), a file that is not JSON (2), a missing secret (2)', async () => {
    const before = received.length;
    expect((await send('no_such_event')).code).to.equal(3);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, 'not json');
    expect((await send('ping', '--file', bad)).code).to.equal(2);
    expect((await runCliCapture(['send', 'ping', '--url', receiver.url], {})).code).to.equal(2);
    expect((await runCliCapture(['send', '--url', receiver.url], { GITHUB_WEBHOOK_SECRET: SECRET })).code).to.equal(2);
    expect(received.length).to.equal(before);
  });

  it('lists the events that have examples with --list', async () => {
    const { code, out } = await runCliCapture(['send', '--list']);
    expect(code).to.equal(0);
    expect(out).to.match(/^pull_request\s+assigned, /m);
    expect(out).to.match(/^ping\s/m);
  });
});
