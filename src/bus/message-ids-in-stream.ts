import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';

/** Options of {@link messageIdsInStream}. */
export interface MessageIdsInStreamOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  /** Only messages stored at or after this time are read. */
  since: Date;
  /** The `Nats-Msg-Id`s looked for. */
  wanted: ReadonlySet<string>;
  /** Messages per fetch. Default 500. */
  batch?: number;
}

/**
 * Which of `wanted` the stream holds as a `Nats-Msg-Id` among the messages stored since `since`:
 * an ordered consumer reads headers only (no payloads) up to the last message at the time of the
 * call, and stops early once every wanted id was found.
 */
export async function messageIdsInStream(options: MessageIdsInStreamOptions): Promise<Set<string>> {
  const found = new Set<string>();
  if (options.wanted.size === 0) return found;
  const info = await options.jsm.streams.info(options.stream);
  const last = info.state.last_seq;
  if (info.state.messages === 0 || Date.parse(info.state.last_ts) < options.since.getTime()) return found;
  const consumer = await options.js.consumers.get(options.stream, {
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: options.since.toISOString(),
    headers_only: true,
  });
  try {
    for (;;) {
      const batch = await consumer.fetch({ max_messages: options.batch ?? 500, expires: 2000 });
      let seen = 0;
      for await (const message of batch) {
        seen += 1;
        const id = message.headers?.get('Nats-Msg-Id');
        if (id && options.wanted.has(id)) found.add(id);
        if (message.seq >= last || message.info.pending === 0 || found.size === options.wanted.size) return found;
      }
      if (seen === 0) return found;
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}
