import type { EntityManager } from '@mikro-orm/postgresql';
import { payloadOrigin, type WebhookEnvelope } from '../contracts/webhook-envelope.js';
import { recordDeliveryReceived, type DeliveryReceivedInput, type RecordedDelivery } from '../effects/db/delivery-store.js';

/** What the delivery record keeps of an envelope. */
export function deliverySighting(envelope: WebhookEnvelope): DeliveryReceivedInput {
  const origin = payloadOrigin(envelope.payload);
  return {
    deliveryId: envelope.deliveryId,
    eventType: envelope.event,
    action: envelope.action ?? null,
    repository: origin.repository ?? null,
    installationId: origin.installationId ?? null,
    hookId: envelope.hookId ?? null,
    targetType: envelope.targetType ?? null,
    streamSeq: envelope.streamSeq,
    receivedAt: envelope.receivedAt,
  };
}

/** Records that an actor saw this delivery (one row per delivery id; later sightings counted). */
export function recordDelivery(em: EntityManager, envelope: WebhookEnvelope): Promise<RecordedDelivery> {
  return recordDeliveryReceived(em, deliverySighting(envelope));
}
