import { jetstreamManager, type StoredMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** Reads what a stream holds, as an operator would with `nats stream view`. */
export async function streamState(nc: NatsConnection, stream: string): Promise<{ messages: number; lastSeq: number }> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  return { messages: info.state.messages, lastSeq: info.state.last_seq };
}

export async function storedMessage(nc: NatsConnection, stream: string, seq: number): Promise<StoredMsg> {
  const jsm = await jetstreamManager(nc);
  const message = await jsm.streams.getMessage(stream, { seq });
  if (!message) throw new Error(`${stream} has no message ${seq}`);
  return message;
}
