import { BigIntType, EntitySchema } from '@mikro-orm/core';

/** What finally happened to a delivery; `received` until an actor settles it. */
export const DELIVERY_OUTCOMES = ['received', 'processed', 'ignored', 'duplicate', 'failed', 'dead'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** One GitHub event, keyed by its delivery GUID (the idempotency key of everything downstream). */
export interface WebhookDelivery {
  deliveryId: string;
  eventType: string;
  action: string | null;
  /** `owner/name`. */
  repository: string | null;
  installationId: number | null;
  hookId: string | null;
  targetType: string | null;
  streamSeq: number | null;
  outcome: DeliveryOutcome;
  error: string | null;
  receivedAt: Date;
  processedAt: Date | null;
  /** How many times a message for this delivery reached an actor. */
  timesSeen: number;
}

/** Table `webhook_deliveries`. */
export const WebhookDeliverySchema = new EntitySchema<WebhookDelivery>({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: {
    deliveryId: { type: 'text', primary: true },
    eventType: { type: 'text' },
    action: { type: 'text', nullable: true },
    repository: { type: 'text', nullable: true },
    installationId: { type: new BigIntType('number'), nullable: true },
    hookId: { type: 'text', nullable: true },
    targetType: { type: 'text', nullable: true },
    streamSeq: { type: new BigIntType('number'), nullable: true },
    outcome: { enum: true, items: [...DELIVERY_OUTCOMES], default: 'received' },
    error: { type: 'text', nullable: true },
    receivedAt: { type: 'datetime', defaultRaw: 'now()' },
    processedAt: { type: 'datetime', nullable: true },
    timesSeen: { type: 'integer', default: 1 },
  },
  // Each list filter is paired with the sort column so a filtered page is one index range scan.
  indexes: [
    { name: 'webhook_deliveries_received_at_index', properties: ['receivedAt'] },
    { name: 'webhook_deliveries_event_type_received_at_index', properties: ['eventType', 'receivedAt'] },
    { name: 'webhook_deliveries_repository_received_at_index', properties: ['repository', 'receivedAt'] },
    { name: 'webhook_deliveries_outcome_received_at_index', properties: ['outcome', 'receivedAt'] },
  ],
});
