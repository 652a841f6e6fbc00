import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager, type StoredMsg } from '@nats-io/jetstream';

/** One stored message by sequence, or null when the stream no longer holds it (aged out, deleted). */
export async function storedMessageAt(jsm: JetStreamManager, stream: string, seq: number): Promise<StoredMsg | null> {
  try {
    return await jsm.streams.getMessage(stream, { seq });
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound) return null;
    throw error;
  }
}

/**
 * A page of a stream's messages, newest first (what an operator wants to see of a DLQ).
 * Walks sequences down from the last one, skipping deleted ones, so `offset` counts messages.
 */
export async function newestMessages(
  jsm: JetStreamManager,
  stream: string,
  page: { limit: number; offset: number },
): Promise<{ messages: StoredMsg[]; total: number }> {
  const info = await jsm.streams.info(stream);
  const { first_seq: first, last_seq: last, messages: total } = info.state;
  const messages: StoredMsg[] = [];
  let skipped = 0;
  for (let seq = last; seq >= first && seq > 0 && messages.length < page.limit; seq -= 1) {
    const message = await storedMessageAt(jsm, stream, seq);
    if (!message) continue;
    if (skipped < page.offset) {
      skipped += 1;
      continue;
    }
    messages.push(message);
  }
  return { messages, total };
}
