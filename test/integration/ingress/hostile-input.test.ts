import { expect } from 'chai';
import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { Agent, request } from 'node:http';
import { signPayload } from '../../../src/ingress/verify-signature.js';
import { hostileApiRequest, hostileWebhookRequest, type HostileRequest } from '../../helpers/hostile-requests.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { streamState } from '../../helpers/stream-reader.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_129);
const WEBHOOK_REQUESTS = 7000;
const API_REQUESTS = 3000;
const CONCURRENCY = 8;
const API_TOKEN = 'hostile-input-token-0123456789abcdef';
/** Loose: the heap may keep some of what 10,000 requests allocated until a major GC. */
const RSS_GROWTH_MAX_MB = 160;

interface Outcome {
  status: number;
  /** `result.status` of a 202. */
  result: string | undefined;
}

function send(agent: Agent, baseUrl: string, hostile: HostileRequest): Promise<Outcome> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[] | number> = { ...hostile.headers };
    if (hostile.body && !hostile.chunked) headers['content-length'] = hostile.body.length;
    const req = request({ agent, host: url.hostname, port: url.port, method: hostile.method, path: hostile.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        let result: string | undefined;
        if (res.statusCode === 202) result = (JSON.parse(Buffer.concat(chunks).toString()) as { result: { status: string } }).result.status;
        resolve({ status: res.statusCode ?? 0, result });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(hostile.body);
  });
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

describe('hostile input against the running ingress and management API', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService({ ACTORS_ENABLED: 'false', API_TOKEN, LOG_LEVEL: 'warn' });
  });
  after(async () => {
    await service.dispose();
  });

  it(`answers ${WEBHOOK_REQUESTS + API_REQUESTS} generated requests without a 5xx, publishes only what it accepted, and gives its memory back (seed ${SEED})`, async function () {
    this.timeout(110_000);
    const options = { secret: TEST_SECRET, apiToken: API_TOKEN };
    const requests = [
      ...fc.sample(hostileWebhookRequest(options), { seed: SEED, numRuns: WEBHOOK_REQUESTS }),
      ...fc.sample(hostileApiRequest(options), { seed: SEED + 1, numRuns: API_REQUESTS }),
    ];
    // Interleave deterministically, so webhook and API requests are in flight together.
    const order = fc.sample(fc.shuffledSubarray(requests.map((_, i) => i), { minLength: requests.length }), { seed: SEED, numRuns: 1 })[0]!;
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const github = service.topology.streams.github;
    try {
      // Warm up (module loading, pools, JIT) before the RSS baseline.
      await pool(order.slice(0, 200), CONCURRENCY, async (i) => void (await send(agent, service.url, requests[i]!).catch(() => undefined)));
      const before = await streamState(service.nats.nc, github);
      const baselineRss = process.memoryUsage().rss;

      const statuses = new Map<number, number>();
      const failures: string[] = [];
      let queued = 0;
      await pool(order, CONCURRENCY, async (i, position) => {
        const hostile = requests[i]!;
        let outcome: Outcome;
        try {
          outcome = await send(agent, service.url, hostile);
        } catch (error) {
          failures.push(`#${position} ${hostile.kind}: no answer (${(error as Error).message}) ${render(hostile)}`);
          return;
        }
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        if (outcome.status >= 500) failures.push(`#${position} ${hostile.kind}: ${outcome.status} ${render(hostile)}`);
        if (outcome.status === 202 && !mayBeAccepted(hostile)) failures.push(`#${position} ${hostile.kind}: accepted ${render(hostile)}`);
        if (outcome.status === 202 && outcome.result === 'queued' && position >= 200) queued++;
      });
      const after = await streamState(service.nats.nc, github);
      const grownMb = (process.memoryUsage().rss - baselineRss) / 1024 ** 2;
      const summary = `seed ${SEED} (FUZZ_SEED=${SEED} to reproduce); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; RSS +${grownMb.toFixed(0)} MB`;
      if (process.env.FUZZ_VERBOSE) console.log(summary);
      expect(failures, `${summary}\n${failures.slice(0, 10).join('\n')}`).to.deep.equal([]);
      // Every published message is an accepted one (warm-up excluded); a rejection published nothing.
      expect(after.messages - before.messages, summary).to.equal(queued);
      expect(queued, `${summary}: the generators must also produce valid deliveries`).to.be.greaterThan(50);
      expect([...statuses.keys()].filter((status) => status >= 400).length, summary).to.be.greaterThan(5);
      expect(grownMb, summary).to.be.below(RSS_GROWTH_MAX_MB);
      expect((await fetch(`${service.url}/health/ready`)).status, summary).to.equal(200);
    } finally {
      agent.destroy();
    }
  });
});

/** Only a POST signed over its exact bytes with our secret, with a UTF-8 body and no other charset, may be a 202. */
function mayBeAccepted(hostile: HostileRequest): boolean {
  const body = hostile.body ?? Buffer.alloc(0);
  // Node keeps the first of duplicated Content-Type headers and drops the rest.
  const contentType = [hostile.headers['content-type']].flat()[0];
  return (
    hostile.kind === 'webhook' &&
    hostile.method === 'POST' &&
    hostile.headers['x-hub-signature-256'] === signPayload(TEST_SECRET, body) &&
    isUtf8(body) &&
    typeof contentType === 'string' &&
    !/charset\s*=(?!\s*"?utf-?8"?\s*(;|$))/i.test(contentType)
  );
}

function render(hostile: HostileRequest): string {
  const headers = JSON.stringify(hostile.headers, (_key, value: unknown) => (typeof value === 'string' && value.length > 120 ? `${value.slice(0, 40)}…(${value.length})` : value));
  const body = hostile.body === undefined ? 'none' : `${hostile.body.length} bytes ${JSON.stringify(hostile.body.subarray(0, 60).toString('latin1'))}`;
  return `${hostile.method} ${hostile.path.slice(0, 200)} headers ${headers} body ${body}`;
}
