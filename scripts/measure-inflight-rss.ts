/**
 * Peak RSS of the service (run as `npm start` runs it: --max-old-space-size=160
 * --max-semi-space-size=4) while 8 signed 25 MB deliveries arrive at once, ROUNDS times, for each
 * WEBHOOK_INFLIGHT_BYTES_MAX in BUDGETS (bytes, comma-separated). Peak RSS is the kernel's VmHWM of
 * the service process. Needs NATS and PostgreSQL as for the tests.
 *
 *   npx tsx scripts/measure-inflight-rss.ts
 *   BUDGETS=1073741824,67108864 ROUNDS=3 ACTORS=true npx tsx scripts/measure-inflight-rss.ts
 *   npm run build && DIST=1 npx tsx scripts/measure-inflight-rss.ts
 */
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { examplePayload } from '../test/fixtures/webhook-examples.js';
import { dropTestDatabase, testDatabaseUrl, uniqueDatabaseName } from '../test/helpers/test-database.js';
import { deleteNamespace, uniqueNamespace } from '../test/helpers/test-nats.js';

const SECRET = 'measure-inflight-rss';
const BUDGETS = (process.env.BUDGETS ?? `${1024 ** 3},${64 * 1024 ** 2}`).split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CONCURRENT = 8;
const SIZE = 25 * 1000 * 1000;

/** A push payload of about `bytes`, without its opening brace (each request adds a unique head). */
function pushPayloadTail(bytes: number): Buffer {
  const push = examplePayload('push') as { head_commit: object; commits?: object[]; repository: Record<string, unknown> };
  // A fresh event time, or the event-age rule refuses it (422) before anything is stored.
  push.repository = { ...push.repository, pushed_at: Math.floor(Date.now() / 1000) };
  const commit = { ...push.head_commit, message: 'x'.repeat(400) };
  const one = JSON.stringify(commit).length + 1;
  push.commits = Array.from({ length: Math.floor((bytes - JSON.stringify(push).length) / one) }, (_, i) => ({ ...commit, id: `${i}` }));
  return Buffer.from(JSON.stringify(push).slice(1));
}

/** A unique head, so no request is answered as a replay of another's body. */
function signedHead(tail: Buffer): { head: Buffer; signature: string } {
  const head = Buffer.from(`{"nonce":"${randomUUID()}",`);
  return { head, signature: `sha256=${createHmac('sha256', SECRET).update(head).update(tail).digest('hex')}` };
}

function post(url: string, tail: Buffer): Promise<number> {
  const { head, signature } = signedHead(tail);
  return new Promise((resolve, reject) => {
    const target = new URL('/api/v1/webhooks/github', url);
    const req = request(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': head.length + tail.length,
        'x-github-event': 'push',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': signature,
      },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.write(head);
    req.end(tail);
  });
}

const peakRss = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const rss = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function measure(budget: number, tail: Buffer) {
  const namespace = uniqueNamespace('rss');
  const databaseName = uniqueDatabaseName('orch_rss');
  // DIST=1: the built service exactly as `npm start` runs it (after `npm run build`); else through tsx.
  const entry = process.env.DIST === '1' ? ['--import', './dist/instrumentation.js', 'dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, ['--max-old-space-size=160', '--max-semi-space-size=4', ...entry], {
    env: {
      ...process.env, PORT: '0', HOST: '127.0.0.1', OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'info',
      GITHUB_WEBHOOK_SECRET: SECRET, NATS_NAMESPACE: namespace, DATABASE_URL: testDatabaseUrl(databaseName),
      WEBHOOK_INFLIGHT_BYTES_MAX: String(budget), ACTORS_ENABLED: process.env.ACTORS ?? 'false',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (out.length < 100_000) out += chunk.toString();
      const match = /"url":"(http:[^"]+)"[^\n]*"msg":"listening"/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`service exited ${code}: ${out}`)));
  });
  try {
    const idle = rss(child.pid!);
    const statuses: Record<number, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => post(url, tail).catch(() => 0)));
      for (const status of answers) statuses[status] = (statuses[status] ?? 0) + 1;
    }
    return { budgetMiB: budget / 1024 ** 2, idleMiB: Math.round(idle), peakMiB: Math.round(peakRss(child.pid!)), alive: child.exitCode === null, statuses };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await deleteNamespace(namespace);
    await dropTestDatabase(databaseName);
  }
}

const tail = pushPayloadTail(SIZE);
console.log(`${CONCURRENT} concurrent deliveries of ${(tail.length / 1e6).toFixed(1)} MB, ${ROUNDS} rounds, actors ${process.env.ACTORS ?? 'false'}`);
for (const budget of BUDGETS) console.log(JSON.stringify(await measure(budget, tail)));
