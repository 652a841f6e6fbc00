import { randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { dropTestDatabase, testDatabaseUrl, uniqueDatabaseName } from '../../test/helpers/test-database.js';
import { NATS_URL, uniqueNamespace } from '../../test/helpers/test-nats.js';
import { ensureDatabase } from '../../src/effects/db/ensure-database.js';
import { createLogger } from '../../src/observability/logger.js';

/**
 * The floor for "JetStream → PostgreSQL": a bare durable pull consumer, in this process, that
 * inserts one row per message and acks it, 16 at a time. No validation, no tasks, no retries.
 */
export async function drainBaseline(options: { messages: number; payload: unknown }): Promise<{ perSecond: number; peakRssMb: number }> {
  const stream = `${uniqueNamespace('base')}_BASE`;
  const databaseName = uniqueDatabaseName('orch_base');
  const nc = await connect({ servers: NATS_URL });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await ensureDatabase(testDatabaseUrl(databaseName), createLogger({ level: 'fatal' }));
  const pool = new pg.Pool({ connectionString: testDatabaseUrl(databaseName), max: 10 });
  try {
    await pool.query('create table seen (delivery_id text primary key, body jsonb not null)');
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
    await jsm.consumers.add(stream, { durable_name: 'base', ack_policy: AckPolicy.Explicit, max_ack_pending: 64 });
    const body = JSON.stringify(options.payload);
    for (let i = 0; i < options.messages; i += 500) {
      await Promise.all(Array.from({ length: Math.min(500, options.messages - i) }, () => js.publish(`${stream}.x`, body, { msgID: randomUUID() })));
    }
    const started = Date.now();
    const consumer = await js.consumers.get(stream, 'base');
    const messages = await consumer.consume({ max_messages: 16 });
    let done = 0;
    let inFlight = 0;
    let peakRss = 0;
    await new Promise<void>((resolve, reject) => {
      void (async () => {
        for await (const message of messages) {
          while (inFlight >= 16) await new Promise((r) => setTimeout(r, 1));
          inFlight += 1;
          pool
            .query('insert into seen (delivery_id, body) values ($1, $2) on conflict do nothing', [randomUUID(), message.string()])
            .then(() => {
              message.ack();
              inFlight -= 1;
              done += 1;
              peakRss = Math.max(peakRss, process.memoryUsage().rss);
              if (done === options.messages) {
                messages.stop();
                resolve();
              }
            }, reject);
        }
      })().catch(reject);
    });
    return { perSecond: options.messages / ((Date.now() - started) / 1000), peakRssMb: peakRss / 1e6 };
  } finally {
    await pool.end();
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
    await dropTestDatabase(databaseName);
  }
}
