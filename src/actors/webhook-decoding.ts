import type { JsMsg } from '@nats-io/jetstream';
import { decodeWebhookMessage } from '../bus/decode-webhook-message.js';
import type { PayloadStore } from '../bus/payload-store.js';
import type { StoredPayloadReader } from '../bus/stored-payload-reader.js';
import { GITHUB_HEADERS, ORCHESTRATOR_HEADERS } from '../contracts/message-headers.js';
import type { WebhookEnvelope } from '../contracts/webhook-envelope.js';

/**
 * The parts every GITHUB-stream actor shares: decoding and the fields on its log lines.
 * `headersOnly(event)` says which events the actor only glances at: their payload is not read. On a
 * `headers_only` consumer the others' payloads are read back from the stream with `readStored`.
 */
export function webhookDecoding(
  payloadStore: PayloadStore,
  headersOnly: (event: string) => boolean = () => false,
  readStored?: StoredPayloadReader,
) {
  return {
    stream: 'GITHUB' as const,
    decode: (message: JsMsg) =>
      decodeWebhookMessage(message, payloadStore, {
        readPayload: !headersOnly(message.headers?.get(GITHUB_HEADERS.event) ?? ''),
        ...(readStored ? { readStored } : {}),
      }),
    // The delivery id names the event; an operator's replay is deliberate and never deduped.
    dedupeKey: (message: JsMsg) =>
      message.headers?.get(ORCHESTRATOR_HEADERS.replayOf) ? undefined : message.headers?.get(GITHUB_HEADERS.delivery) || undefined,
    logFields: (envelope: Pick<WebhookEnvelope, 'deliveryId' | 'event' | 'replayOf'>) => ({
      delivery_id: envelope.deliveryId,
      event: envelope.event,
      ...(envelope.replayOf ? { replay_of: envelope.replayOf } : {}),
    }),
  };
}
