import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { bytesReadAtAnswer } from '../../helpers/bytes-read-at-answer.js';
import { postWebhook, signedWebhook } from '../../helpers/signed-webhook.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { storedMessage, streamState } from '../../helpers/stream-reader.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('POST /api/v1/webhooks/github', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService({ WEBHOOK_MAX_BODY_BYTES: String(64 * 1024), ACTORS_ENABLED: 'false' });
  });
  after(async () => {
    await service.dispose();
  });

  const github = () => service.topology.streams.github;
  const count = async () => (await streamState(service.nats.nc, github())).messages;

  const cases: Array<[string, string, (p: Record<string, unknown>) => boolean]> = [
    ['pull_request', 'github.pull_request.opened', (p) => p.action === 'opened'],
    ['check_run', 'github.check_run.completed', (p) => p.action === 'completed'],
    ['check_suite', 'github.check_suite.completed', (p) => p.action === 'completed'],
    ['push', 'github.push.none', () => true],
    ['installation', 'github.installation.created', (p) => p.action === 'created'],
    ['ping', 'github.ping.none', () => true],
    ['issues', 'github.issues.opened', (p) => p.action === 'opened'],
  ];
  for (const [event, subject, where] of cases) {
    it(`accepts a real ${event} delivery with 202 and stores it on ${subject} with its headers`, async () => {
      const payload = examplePayload(event, where);
      const answer = await postWebhook(service.url, { event, payload, secret: TEST_SECRET });
      expect(answer.status).to.equal(202);
      expect(answer.headers.get('x-request-id')).to.equal(answer.deliveryId);
      expect(answer.body).to.deep.include({ status: 'accepted', delivery_id: answer.deliveryId, event_type: event });
      expect(answer.body!.result).to.include({ status: 'queued', stream: github() });
      const stored = await storedMessage(service.nats.nc, github(), answer.body!.result.seq);
      // The subject ends with the body's digest: the signature GitHub sent, in hex.
      const signature = signedWebhook({ event, payload, secret: TEST_SECRET }).headers['x-hub-signature-256']!.slice('sha256='.length);
      expect(stored.subject).to.equal(service.topology.subject(`${subject}.${signature}`));
      expect(stored.header.get('Nats-Msg-Id')).to.equal(answer.deliveryId);
      expect(stored.header.get('X-GitHub-Event')).to.equal(event);
      expect(stored.header.get('X-GitHub-Hook-ID')).to.equal('123456');
      expect(stored.header.get('X-GitHub-Hook-Installation-Target-Type')).to.equal('repository');
      expect(JSON.parse(new TextDecoder().decode(stored.data))).to.deep.equal(payload);
    });
  }

  it('answers a repeated delivery id with result.status "duplicate" and stores it once', async () => {
    const payload = examplePayload('pull_request', (p) => p.action === 'opened');
    const first = await postWebhook(service.url, { event: 'pull_request', payload, secret: TEST_SECRET });
    const before = await count();
    const again = await Promise.all(
      [1, 2, 3].map(() =>
        postWebhook(service.url, { event: 'pull_request', payload, secret: TEST_SECRET, deliveryId: first.deliveryId }),
      ),
    );
    for (const answer of again) {
      expect(answer.status).to.equal(202);
      expect(answer.body!.result).to.deep.equal({ status: 'duplicate', stream: github(), seq: first.body!.result.seq });
    }
    expect(await count()).to.equal(before);
  });

  it('accepts the form-encoded variant GitHub offers, storing the JSON of its payload field', async () => {
    const payload = examplePayload('push');
    const answer = await postWebhook(service.url, { event: 'push', payload, secret: TEST_SECRET, form: true });
    expect(answer.status).to.equal(202);
    const stored = await storedMessage(service.nats.nc, github(), answer.body!.result.seq);
    expect(JSON.parse(new TextDecoder().decode(stored.data))).to.deep.equal(payload);
  });

  it('refuses a missing signature with 401 invalid_signature and publishes nothing', async () => {
    const before = await count();
    const { headers, body } = signedWebhook({ event: 'ping', payload: examplePayload('ping'), secret: TEST_SECRET });
    delete headers['x-hub-signature-256'];
    const response = await fetch(`${service.url}/api/v1/webhooks/github`, { method: 'POST', headers, body });
    expect(response.status).to.equal(401);
    const answer = (await response.json()) as { error: Record<string, string> };
    expect(answer.error.code).to.equal('invalid_signature');
    expect(answer.error.correlation_id).to.equal(headers['x-github-delivery']);
    expect(await count()).to.equal(before);
  });

  it('refuses a signature made with another secret, or over other bytes, with 401', async () => {
    const before = await count();
    const wrongSecret = await postWebhook(service.url, { event: 'ping', payload: { zen: 'x' }, secret: 'not the secret' });
    expect(wrongSecret.status).to.equal(401);
    const { headers } = signedWebhook({ event: 'ping', payload: { zen: 'a' }, secret: TEST_SECRET });
    const tampered = await fetch(`${service.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ zen: 'b' }),
    });
    expect(tampered.status).to.equal(401);
    expect(await count()).to.equal(before);
  });

  it('answers 400 bad_request for missing or malformed event and delivery headers', async () => {
    const brokenHeaders: Array<Record<string, string>> = [
      { 'x-github-event': '' },
      { 'x-github-event': 'Pull Request!' },
      { 'x-github-delivery': '' },
      { 'x-github-delivery': 'a b' },
    ];
    for (const broken of brokenHeaders) {
      const { headers, body } = signedWebhook({ event: 'ping', payload: { zen: 'x' }, secret: TEST_SECRET });
      const response = await fetch(`${service.url}/api/v1/webhooks/github`, {
        method: 'POST',
        headers: { ...headers, ...broken },
        body,
      });
      expect(response.status, JSON.stringify(broken)).to.equal(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('bad_request');
    }
  });

  it('answers 400 for a correctly signed body that is not a JSON object', async () => {
    for (const payload of ['{"unterminated', '[1,2]', '"text"']) {
      const answer = await postWebhook(service.url, { event: 'ping', payload, secret: TEST_SECRET });
      expect(answer.status, payload).to.equal(400);
      expect(answer.body!.error.code).to.equal('bad_request');
    }
  });

  it('answers 415 unsupported_media_type for content GitHub never sends', async () => {
    const { headers, body } = signedWebhook({ event: 'ping', payload: { zen: 'x' }, secret: TEST_SECRET });
    const response = await fetch(`${service.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/plain' },
      body,
    });
    expect(response.status).to.equal(415);
    expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('unsupported_media_type');
  });

  it('answers 413 when the declared length is over the limit, before reading the body', async () => {
    const { status, body } = await rawPost(service.url, { declaredLength: 65 * 1024, sendBytes: 0 });
    expect(status).to.equal(413);
    expect(JSON.parse(body).error.code).to.equal('payload_too_large');
  });

  it('answers 413 to a chunked body once it passes the limit, having read at most one socket read beyond it', async () => {
    // 4 MiB offered in 16 KiB chunks against a 64 KiB limit. What the client handed to its kernel
    // depends on socket buffer sizes, so the bound is on what the service itself had read when it
    // answered: the limit, plus the rest of the socket read that crossed it (Node reads a socket
    // 64 KiB at a time), plus the request head and chunk framing. A route that buffered the whole
    // body first would have read all 4 MiB.
    const limit = 64 * 1024;
    const oneSocketRead = 64 * 1024;
    const headAndFraming = 2 * 1024;
    const answeredAfter = bytesReadAtAnswer(service.server);
    try {
      const { status, body, deliveryId } = await rawPost(service.url, { sendBytes: 4 * 1024 * 1024 });
      expect(status).to.equal(413);
      expect(JSON.parse(body).error.code).to.equal('payload_too_large');
      const consumed = await waitFor(() => answeredAfter.of(deliveryId), { message: 'the server to record its answer' });
      expect(consumed).to.be.above(limit);
      expect(consumed).to.be.at.most(limit + oneSocketRead + headAndFraming);
    } finally {
      answeredAfter.stop();
    }
  });

  it('gives every answer an X-Request-Id and the one error body on unknown routes', async () => {
    const response = await fetch(`${service.url}/no/such/route`, { headers: { 'x-request-id': 'trace-me-1' } });
    expect(response.status).to.equal(404);
    expect(response.headers.get('x-request-id')).to.equal('trace-me-1');
    expect(await response.json()).to.deep.equal({
      error: { code: 'not_found', message: 'no route for GET /no/such/route', correlation_id: 'trace-me-1' },
    });
  });

  it('counts requests by event and outcome on /metrics', async () => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(text).to.match(/orchestrator_webhook_requests_total\{event="pull_request",outcome="accepted"\} \d+/);
    expect(text).to.match(/orchestrator_webhook_requests_total\{event="ping",outcome="invalid_signature"\} \d+/);
    expect(text).to.match(/orchestrator_webhook_request_duration_seconds_bucket\{le="0\.05",event="pull_request",outcome="accepted"\} \d+/);
    expect(text).to.include('process_resident_memory_bytes');
  });

  it('reports ready and healthy while NATS answers and the streams exist', async () => {
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).to.equal(200);
    const health = (await (await fetch(`${service.url}/health`)).json()) as Record<string, any>;
    expect(health.status).to.equal('healthy');
    expect(health.checks.nats.status).to.equal('up');
    expect(health.uptime).to.be.a('number');
    expect((await fetch(`${service.url}/health/live`)).status).to.equal(200);
  });
});

describe('POST /api/v1/webhooks/github with secret rotation and rate limits', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService({
      GITHUB_WEBHOOK_SECRET: `old-secret-value, ${TEST_SECRET}`,
      ACTORS_ENABLED: 'false',
      WEBHOOK_RATE_LIMIT_PER_ADDRESS: '6',
      WEBHOOK_RATE_LIMIT_WINDOW_MS: '60000',
    });
  });
  after(async () => {
    await service.dispose();
  });

  it('accepts deliveries signed with any configured secret and refuses others', async () => {
    const withOld = await postWebhook(service.url, { event: 'ping', payload: { zen: 'o' }, secret: 'old-secret-value' });
    const withNew = await postWebhook(service.url, { event: 'ping', payload: { zen: 'n' }, secret: TEST_SECRET });
    const withOther = await postWebhook(service.url, { event: 'ping', payload: { zen: 'x' }, secret: 'another-secret' });
    expect([withOld.status, withNew.status, withOther.status]).to.deep.equal([202, 202, 401]);
  });

  it('answers 429 rate_limited with Retry-After once an address passes its limit', async () => {
    const answers = [];
    for (let i = 0; i < 5; i += 1) {
      answers.push(await postWebhook(service.url, { event: 'ping', payload: { zen: String(i) }, secret: TEST_SECRET }));
    }
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited.length).to.be.greaterThan(0);
    expect(limited[0]!.body!.error.code).to.equal('rate_limited');
    expect(Number(limited[0]!.headers.get('retry-after'))).to.be.within(1, 60);
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(text).to.match(/orchestrator_rate_limited_total\{scope="webhook_address"\} [1-9]/);
  });
});

/**
 * A raw HTTP POST that can lie about its length or stream a large body in chunks. It stops sending
 * once the answer arrives and closes its side when the answer is complete.
 */
function rawPost(
  baseUrl: string,
  options: { declaredLength?: number; sendBytes: number },
): Promise<{ status: number; body: string; deliveryId: string }> {
  const url = new URL('/api/v1/webhooks/github', baseUrl);
  const deliveryId = `big-${randomUUID()}`;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'x-github-event': 'ping',
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
    };
    if (options.declaredLength !== undefined) headers['content-length'] = options.declaredLength;
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, deliveryId });
      });
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    req.flushHeaders();
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const pump = () => {
      while (!answered && sent < options.sendBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered && options.declaredLength === undefined) req.end();
    };
    pump();
  });
}
