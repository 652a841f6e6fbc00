import type { JetStreamManager } from '@nats-io/jetstream';
import type { DeliveryMessage } from '../contracts/management-views.js';
import { GITHUB_HEADERS, ORCHESTRATOR_HEADERS } from '../contracts/message-headers.js';
import type { WebhookDelivery } from '../effects/db/entities/webhook-delivery.js';
import type { PayloadStore } from './payload-store.js';
import { storedMessageAt } from './stream-messages.js';

/**
 * The delivery's stored message (by `delivery.streamSeq`), with its payload bytes when
 * `withPayload` (read back from the object store when claim-checked). Null when the stream no
 * longer holds it (aged out) or the sequence now holds another delivery.
 */
export type ReadDeliveryMessage = (
  delivery: WebhookDelivery,
  options: { withPayload: boolean },
) => Promise<(DeliveryMessage & { payload?: Uint8Array }) | null>;

/** Options of {@link createDeliveryMessageReader}. */
export interface DeliveryMessageReaderOptions {
  jsm: JetStreamManager;
  /** The GITHUB stream's deployed (namespaced) name. */
  stream: string;
  payloadStore: PayloadStore;
}

/**
 * Reads a delivery's message back from the GITHUB stream by its recorded sequence, for operators:
 * headers and size always, the payload bytes only when asked (they may be 25 MiB). A sequence
 * that now holds another delivery (the stream was recreated) counts as gone, never as this one.
 */
export function createDeliveryMessageReader(options: DeliveryMessageReaderOptions): ReadDeliveryMessage {
  const { jsm, stream, payloadStore } = options;
  return async (delivery: WebhookDelivery, { withPayload }) => {
    if (!delivery.streamSeq) return null;
    const stored = await storedMessageAt(jsm, stream, delivery.streamSeq);
    if (!stored || stored.header.get(GITHUB_HEADERS.delivery) !== delivery.deliveryId) return null;
    const headers: Record<string, string[]> = {};
    for (const [name, values] of stored.header) headers[name] = [...values];
    const ref = stored.header.get(ORCHESTRATOR_HEADERS.payloadRef) || undefined;
    const message: DeliveryMessage = {
      stream,
      seq: stored.seq,
      subject: stored.subject,
      stored_at: stored.time.toISOString(),
      headers,
      payload_bytes: ref ? await payloadStore.size(ref) : stored.data.length,
      claim_check: ref !== undefined,
    };
    if (!withPayload) return message;
    const payload = ref ? await payloadStore.get(ref, stored.header.get(ORCHESTRATOR_HEADERS.payloadSha256) || undefined) : stored.data;
    return { ...message, payload };
  };
}
