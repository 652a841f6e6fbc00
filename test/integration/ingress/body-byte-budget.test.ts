import { expect } from 'chai';
import { createHmac, randomUUID } from 'node:crypto';
import { request, type ClientRequest } from 'node:http';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { streamState } from '../../helpers/stream-reader.js';
import { waitFor } from '../../helpers/wait-for.js';

interface Answer {
  status: number;
  /** `result.status` of a 202. */
  result?: string;
  retryAfter: string | undefined;
  code: string | undefined;
}

interface Sending {
  req: ClientRequest;
  answer: Promise<Answer>;
}

/**
 * Starts a signed webhook POST of `parts` (one body, sent part by part, so a large shared tail is
 * never copied); it is written now, all of it or only the first part when `holdBack` is set.
 */
function startPost(baseUrl: string, body: Buffer | Buffer[], options: { chunked?: boolean; holdBack?: boolean } = {}): Sending {
  const parts = Array.isArray(body) ? body : [body];
  const url = new URL('/api/v1/webhooks/github', baseUrl);
  const hmac = createHmac('sha256', TEST_SECRET);
  for (const part of parts) hmac.update(part);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'x-github-event': 'ping',
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': `sha256=${hmac.digest('hex')}`,
  };
  if (!options.chunked) headers['content-length'] = parts.reduce((sum, part) => sum + part.length, 0);
  const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        req.destroy();
        const parsed = text ? (JSON.parse(text) as { error?: { code: string }; result?: { status: string } }) : {};
        const answer: Answer = { status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], code: parsed.error?.code };
        if (parsed.result) answer.result = parsed.result.status;
        resolve(answer);
      });
    });
    req.on('error', reject);
  });
  if (options.holdBack) req.write(parts[0]);
  else {
    for (const part of parts.slice(0, -1)) req.write(part);
    req.end(parts.at(-1));
  }
  return { req, answer };
}

async function inFlightGauge(service: TestService): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const match = /^orchestrator_webhook_body_bytes_in_flight (\d+)$/m.exec(text);
  if (!match) throw new Error('orchestrator_webhook_body_bytes_in_flight is not exported');
  return Number(match[1]);
}

/**
 * A JSON object of exactly `bytes` bytes, unique to this call (a body seen before under another
 * delivery id would be answered as a replay, unpublished), as a small head and a tail that can be
 * shared between calls.
 */
function jsonOf(bytes: number, tail = sharedTail(bytes - HEAD_BYTES)): Buffer[] {
  const head = Buffer.from(`{"n":"${randomUUID()}","zen":"`);
  if (head.length !== HEAD_BYTES || tail.length !== bytes - HEAD_BYTES) throw new Error('jsonOf: bad sizes');
  return [head, tail];
}

const HEAD_BYTES = `{"n":"${randomUUID()}","zen":"`.length;

function sharedTail(bytes: number): Buffer {
  const tail = Buffer.alloc(bytes, 0x61);
  tail.write('"}', bytes - 2);
  return tail;
}

describe('the webhook body byte budget (WEBHOOK_INFLIGHT_BYTES_MAX)', () => {
  describe('with the defaults and 8 concurrent 25 MB deliveries', () => {
    let service: TestService;
    before(async () => {
      service = await startTestService({ ACTORS_ENABLED: 'false' });
    });
    after(async () => {
      await service.dispose();
    });

    it('accepts some, answers the others 503 unavailable with Retry-After, stores exactly the accepted, and gives every byte back', async function () {
      this.timeout(120_000);
      const github = service.topology.streams.github;
      const before = (await streamState(service.nats.nc, github)).messages;
      const size = 25 * 1000 * 1000;
      const tail = sharedTail(size - HEAD_BYTES);
      const answers = await Promise.all(Array.from({ length: 8 }, () => startPost(service.url, jsonOf(size, tail)).answer));

      const accepted = answers.filter((answer) => answer.status === 202);
      for (const answer of accepted) expect(answer.result).to.equal('queued');
      const refused = answers.filter((answer) => answer.status !== 202);
      expect(accepted.length, JSON.stringify(answers)).to.be.at.least(1);
      for (const answer of refused) {
        expect(answer).to.include({ status: 503, code: 'unavailable' });
        expect(Number(answer.retryAfter)).to.be.greaterThan(0);
      }
      expect((await streamState(service.nats.nc, github)).messages - before).to.equal(accepted.length);
      await waitFor(async () => (await inFlightGauge(service)) === 0, { message: 'body bytes in flight back to 0' });
      expect((await fetch(`${service.url}/health/live`)).status).to.equal(200);
    });
  });

  describe('with a 64 KiB budget', () => {
    let service: TestService;
    before(async () => {
      service = await startTestService({
        ACTORS_ENABLED: 'false',
        WEBHOOK_MAX_BODY_BYTES: String(64 * 1024),
        WEBHOOK_INFLIGHT_BYTES_MAX: String(64 * 1024),
      });
    });
    after(async () => {
      await service.dispose();
    });

    it('refuses declared and streamed bodies beyond what is left, and gives back the bytes of a request whose sender went away', async () => {
      // 48 KiB declared, only its first bytes sent: the budget holds the whole declared length.
      const held = startPost(service.url, jsonOf(48 * 1024), { holdBack: true });
      await waitFor(async () => (await inFlightGauge(service)) === 48 * 1024, { message: 'the first request holds 48 KiB' });

      expect(await startPost(service.url, jsonOf(32 * 1024)).answer).to.deep.include({ status: 503, code: 'unavailable', retryAfter: '2' });
      expect(await startPost(service.url, jsonOf(32 * 1024), { chunked: true }).answer).to.deep.include({ status: 503, code: 'unavailable' });
      expect(await startPost(service.url, jsonOf(8 * 1024)).answer).to.include({ status: 202 });

      held.req.destroy();
      await held.answer.catch(() => undefined);
      await waitFor(async () => (await inFlightGauge(service)) === 0, { message: 'the abandoned request gave its bytes back' });
      expect(await startPost(service.url, jsonOf(64 * 1024)).answer).to.include({ status: 202 });
      expect(await startPost(service.url, jsonOf(60 * 1024), { chunked: true }).answer).to.include({ status: 202 });
      await waitFor(async () => (await inFlightGauge(service)) === 0, { message: 'body bytes in flight back to 0' });
    });
  });
});
