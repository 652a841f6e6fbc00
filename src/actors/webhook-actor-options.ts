import type { JsMsg } from '@nats-io/jetstream';
import { decodeWebhookMessage } from '../bus/decode-webhook-message.js';
import type { PayloadStore } from '../bus/payload-store.js';
import type { WebhookEnvelope } from '../contracts/webhook-envelope.js';

/** The parts every GITHUB-stream actor shares: decoding and the fields on its log lines. */
export function webhookDecoding(payloadStore: PayloadStore) {
  return {
    stream: 'GITHUB' as const,
    decode: (message: JsMsg) => decodeWebhookMessage(message, payloadStore),
    logFields: (envelope: WebhookEnvelope) => ({
      delivery_id: envelope.deliveryId,
      event: envelope.event,
      ...(envelope.replayOf ? { replay_of: envelope.replayOf } : {}),
    }),
  };
}
