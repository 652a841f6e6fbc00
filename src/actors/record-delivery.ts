import type { EntityManager } from '@mikro-orm/postgresql';
import { payloadOrigin, type WebhookEnvelope } from '../contracts/webhook-envelope.js';
import { recordDeliveryReceived, type RecordedDelivery } from '../effects/db/delivery-store.js';

/** Records that an actor saw this delivery (one row per delivery id; later sightings counted). */
export function recordDelivery(em: EntityManager, envelope: WebhookEnvelope): Promise<RecordedDelivery> {
  const origin = payloadOrigin(envelope.payload);
  return recordDeliveryReceived(em, {
    deliveryId: envelope.deliveryId,
    eventType: envelope.event,
    action: envelope.action ?? null,
    repository: origin.repository ?? null,
    installationId: origin.installationId ?? null,
    hookId: envelope.hookId ?? null,
    targetType: envelope.targetType ?? null,
    streamSeq: envelope.streamSeq,
    receivedAt: envelope.receivedAt,
  });
}
