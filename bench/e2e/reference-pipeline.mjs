// @ts-check
// The naive reference for the end-to-end bench, in one process as `npm start` runs ours:
//   Koa: read the raw body, verify X-Hub-Signature-256, publish to JetStream (Nats-Msg-Id = the
//   delivery id), await the PubAck, answer 202;
//   a pull consumer: fetch a batch, ONE multi-row upsert for the batch, commit, then ack each message.
// No validation beyond the signature, no tasks, no retries, no telemetry: the floor of this shape.
// Plain JavaScript so it runs under bare `node` (see ../ingress/bare-server.mjs for why).
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { createHmac, timingSafeEqual } from 'node:crypto';
import process from 'node:process';
import Koa from 'koa';
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const port = Number(process.env.PORT ?? 0);
const secret = env('BENCH_SECRET');
const stream = env('BENCH_STREAM');
const databaseUrl = env('DATABASE_URL');
const BATCH = 256;

const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
const jsm = await jetstreamManager(nc);
const js = jetstream(nc);
await jsm.streams.add({ name: stream, subjects: [`${stream}.>`], duplicate_window: 600_000_000_000 });
await jsm.consumers.add(stream, { durable_name: 'reference', ack_policy: AckPolicy.Explicit, max_ack_pending: 1024 });
const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
await pool.query(`create table if not exists pull_request_events (
  delivery_id text primary key, repository text not null, number int not null, head_sha text not null,
  action text not null, received_at timestamptz not null default clock_timestamp())`);

/** @param {import('node:http').IncomingMessage} req */
async function rawBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** @param {Buffer} body @param {string} header */
function signed(body, header) {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.method !== 'POST' || ctx.path !== '/webhooks') {
    ctx.status = 404;
    return;
  }
  const body = await rawBody(ctx.req);
  if (!signed(body, ctx.get('x-hub-signature-256'))) {
    ctx.status = 401;
    return;
  }
  const deliveryId = ctx.get('x-github-delivery');
  const ack = await js.publish(`${stream}.${ctx.get('x-github-event')}`, body, { msgID: deliveryId });
  ctx.status = 202;
  ctx.body = { status: 'accepted', delivery_id: deliveryId, seq: ack.seq };
});

/** Fetch → one upsert → commit → ack, forever. A batch is what is pending, up to BATCH (at least 1). */
async function consumeForever() {
  const consumer = await js.consumers.get(stream, 'reference');
  for (;;) {
    const pending = (await consumer.info()).num_pending;
    const messages = await consumer.fetch({ max_messages: Math.max(1, Math.min(BATCH, pending)), expires: 1000 });
    const batch = [];
    for await (const message of messages) batch.push(message);
    if (batch.length === 0) continue;
    const rows = new Map();
    for (const message of batch) {
      const payload = JSON.parse(message.string());
      rows.set(message.headers?.get('Nats-Msg-Id') ?? `seq-${message.seq}`, [
        payload.repository.full_name,
        payload.pull_request.number,
        payload.pull_request.head.sha,
        payload.action,
      ]);
    }
    const params = [];
    const values = [...rows].map(([id, row], i) => {
      params.push(id, ...row);
      const at = i * 5;
      return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5})`;
    });
    await pool.query(
      `insert into pull_request_events (delivery_id, repository, number, head_sha, action) values ${values.join(', ')}
       on conflict (delivery_id) do update set head_sha = excluded.head_sha, action = excluded.action`,
      params,
    );
    for (const message of batch) message.ack();
  }
}

consumeForever().catch((error) => {
  console.error('reference consumer failed:', error);
  process.exit(1);
});

const server = app.listen(port, '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  void Promise.allSettled([nc.drain(), pool.end()]).then(() => process.exit(0));
});
