import type { JetStreamManager } from '@nats-io/jetstream';
import { AppError } from '../errors/app-error.js';

/** Reads the data of a message still held in a stream, by its sequence number. */
export type StoredPayloadReader = (seq: number) => Promise<Uint8Array>;

/**
 * For consumers that take headers only (`headers_only`): the server sends each message's headers
 * and size, not its data, and the few messages whose payload the actor does need are read back from
 * the stream one by one. A message gone from the stream (past max_age, purged) cannot be handled
 * by waiting: that is a permanent failure.
 */
export function createStoredPayloadReader(jsm: JetStreamManager, streamName: string): StoredPayloadReader {
  return async (seq) => {
    const stored = await jsm.streams.getMessage(streamName, { seq });
    if (stored === null) throw new AppError('permanent_failure', `message ${seq} is no longer in stream ${streamName}`);
    return stored.data;
  };
}
