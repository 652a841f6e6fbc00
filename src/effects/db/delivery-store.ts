import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TaskSchema, type Task } from './entities/task.js';
import { WebhookDeliverySchema, type DeliveryOutcome, type WebhookDelivery } from './entities/webhook-delivery.js';
import type { Page, PageOf } from './page.js';

/** What is known of a delivery when a message for it reaches an actor. */
export interface DeliveryReceivedInput {
  deliveryId: string;
  eventType: string;
  action?: string | null;
  repository?: string | null;
  installationId?: number | null;
  hookId?: string | null;
  targetType?: string | null;
  streamSeq?: number | null;
  /** When the ingress accepted it. Default: now. */
  receivedAt?: Date;
}

/** The delivery row after this sighting, and whether it was the first. */
export interface RecordedDelivery {
  delivery: WebhookDelivery;
  /** True the first time this delivery id is recorded; false for every redelivery. */
  firstTime: boolean;
}

/**
 * Records that a message for the delivery reached an actor: inserts the row (`received`) or, for a
 * delivery id already known, counts one more sighting and fills in fields it lacked. One statement,
 * so concurrent sightings never lose a count and exactly one of them is `firstTime`.
 */
export async function recordDeliveryReceived(
  em: EntityManager,
  input: DeliveryReceivedInput,
): Promise<RecordedDelivery> {
  const [row] = await em.execute(
    `insert into "webhook_deliveries" ("delivery_id", "event_type", "action", "repository", "installation_id",
       "hook_id", "target_type", "stream_seq", "received_at", "times_seen")
     values (?, ?, ?, ?, ?, ?, ?, ?, coalesce(?::timestamptz, now()), 1)
     on conflict ("delivery_id") do update set
       "times_seen" = "webhook_deliveries"."times_seen" + 1,
       "action" = coalesce("webhook_deliveries"."action", excluded."action"),
       "repository" = coalesce("webhook_deliveries"."repository", excluded."repository"),
       "installation_id" = coalesce("webhook_deliveries"."installation_id", excluded."installation_id"),
       "hook_id" = coalesce("webhook_deliveries"."hook_id", excluded."hook_id"),
       "target_type" = coalesce("webhook_deliveries"."target_type", excluded."target_type"),
       "stream_seq" = coalesce("webhook_deliveries"."stream_seq", excluded."stream_seq")
     returning *`,
    [
      input.deliveryId, input.eventType, input.action ?? null, input.repository ?? null, input.installationId ?? null,
      input.hookId ?? null, input.targetType ?? null, input.streamSeq ?? null, input.receivedAt ?? null,
    ],
  );
  const delivery = em.map(WebhookDeliverySchema, row!);
  return { delivery, firstTime: delivery.timesSeen === 1 };
}

/**
 * Settles the delivery: sets its outcome, its error (cleared when not given) and `processed_at`
 * (now; null again for `received`). `duplicate` only settles a delivery nothing else has settled: a
 * redelivery must not hide what happened to the original. Null when the delivery is unknown.
 */
export async function setDeliveryOutcome(
  em: EntityManager,
  deliveryId: string,
  outcome: DeliveryOutcome,
  error?: string | null,
): Promise<WebhookDelivery | null> {
  const [row] = await em.execute(
    `update "webhook_deliveries"
     set "outcome" = ?, "error" = ?, "processed_at" = case when ? = 'received' then null else now() end
     where "delivery_id" = ? and not (? = 'duplicate' and "outcome" not in ('received', 'duplicate'))
     returning *`,
    [outcome, error ?? null, outcome, deliveryId, outcome],
  );
  if (row) return em.map(WebhookDeliverySchema, row);
  return em.findOne(WebhookDeliverySchema, { deliveryId }, { refresh: true });
}

/** The management API's delivery filters; each one given narrows the list. */
export interface DeliveryFilters {
  eventType?: string;
  /** `owner/name`. */
  repository?: string;
  outcome?: DeliveryOutcome;
  action?: string;
  /** Received at or after. */
  receivedFrom?: Date;
  /** Received before. */
  receivedUntil?: Date;
}

/** Deliveries matching `filters`, newest first (ties broken by id), and their total. */
export async function listDeliveries(
  em: EntityManager,
  filters: DeliveryFilters,
  page: Page,
): Promise<PageOf<WebhookDelivery>> {
  const where: FilterQuery<WebhookDelivery> = {};
  if (filters.eventType !== undefined) where.eventType = filters.eventType;
  if (filters.repository !== undefined) where.repository = filters.repository;
  if (filters.outcome !== undefined) where.outcome = filters.outcome;
  if (filters.action !== undefined) where.action = filters.action;
  if (filters.receivedFrom !== undefined || filters.receivedUntil !== undefined) {
    where.receivedAt = {
      ...(filters.receivedFrom !== undefined ? { $gte: filters.receivedFrom } : {}),
      ...(filters.receivedUntil !== undefined ? { $lt: filters.receivedUntil } : {}),
    };
  }
  const [rows, total] = await em.findAndCount(WebhookDeliverySchema, where, {
    orderBy: [{ receivedAt: 'desc' }, { deliveryId: 'desc' }],
    limit: page.limit,
    offset: page.offset,
    refresh: true,
  });
  return { rows, total };
}

/** A delivery and the tasks it created, oldest first. */
export interface DeliveryDetail {
  delivery: WebhookDelivery;
  tasks: Task[];
}

/** The delivery with its tasks, or null when the id is unknown. */
export async function getDelivery(em: EntityManager, deliveryId: string): Promise<DeliveryDetail | null> {
  const delivery = await em.findOne(WebhookDeliverySchema, { deliveryId }, { refresh: true });
  if (!delivery) return null;
  const tasks = await em.find(
    TaskSchema,
    { deliveryId },
    { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], refresh: true },
  );
  return { delivery, tasks };
}
