import type { EntityManager } from '@mikro-orm/postgresql';
import { TaskSchema, type Task } from './entities/task.js';
import { WebhookDeliverySchema, type DeliveryOutcome, type WebhookDelivery } from './entities/webhook-delivery.js';
import { findPage, timeRange } from './find-page.js';
import type { Page, PageOf } from './page.js';
import { rowReader } from './row-reader.js';
import { valuesList } from './values-list.js';

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

/** One delivery's sightings in a batch: its fields, and how many messages for it the batch holds. */
export interface DeliverySighting extends DeliveryReceivedInput {
  /** Messages for this delivery in the batch. Default 1. */
  sightings?: number;
}

/** Rows come back a batch at a time: read without the identity map (see rowReader). */
const deliveryFromRow = rowReader(WebhookDeliverySchema);

const DELIVERY_COLUMNS = ['text', 'text', 'text', 'text', 'bigint', 'text', 'text', 'bigint', 'timestamptz', 'int'] as const;

/**
 * Records that messages for these deliveries reached an actor, in one statement: inserts each row
 * (`received`) or, for a delivery id already known, adds its sightings and fills in fields it
 * lacked. Concurrent sightings never lose a count. The ids must be distinct (count repeats in
 * `sightings`). Rows come back in the order of `inputs`.
 */
export async function recordDeliveriesReceived(
  em: EntityManager,
  inputs: readonly DeliverySighting[],
): Promise<RecordedDelivery[]> {
  if (inputs.length === 0) return [];
  const { sql, params } = valuesList(
    DELIVERY_COLUMNS,
    inputs.map((input) => [
      input.deliveryId, input.eventType, input.action ?? null, input.repository ?? null, input.installationId ?? null,
      input.hookId ?? null, input.targetType ?? null, input.streamSeq ?? null, input.receivedAt ?? new Date(),
      input.sightings ?? 1,
    ]),
  );
  const rows = await em.execute(
    `insert into "webhook_deliveries" ("delivery_id", "event_type", "action", "repository", "installation_id",
       "hook_id", "target_type", "stream_seq", "received_at", "times_seen")
     values ${sql}
     on conflict ("delivery_id") do update set
       "times_seen" = "webhook_deliveries"."times_seen" + excluded."times_seen",
       "action" = coalesce("webhook_deliveries"."action", excluded."action"),
       "repository" = coalesce("webhook_deliveries"."repository", excluded."repository"),
       "installation_id" = coalesce("webhook_deliveries"."installation_id", excluded."installation_id"),
       "hook_id" = coalesce("webhook_deliveries"."hook_id", excluded."hook_id"),
       "target_type" = coalesce("webhook_deliveries"."target_type", excluded."target_type"),
       "stream_seq" = coalesce("webhook_deliveries"."stream_seq", excluded."stream_seq")
     returning *`,
    params,
  );
  const byId = new Map(rows.map((row) => [row.delivery_id as string, deliveryFromRow(row)]));
  return inputs.map((input) => {
    const delivery = byId.get(input.deliveryId);
    if (!delivery) throw new Error(`delivery ${input.deliveryId} was not returned by its upsert`);
    return { delivery, firstTime: delivery.timesSeen === (input.sightings ?? 1) };
  });
}

/** Records one sighting of one delivery; see {@link recordDeliveriesReceived}. */
export async function recordDeliveryReceived(em: EntityManager, input: DeliveryReceivedInput): Promise<RecordedDelivery> {
  const [recorded] = await recordDeliveriesReceived(em, [input]);
  return recorded!;
}

/** A delivery's settlement: its outcome and error (cleared when not given). */
export interface DeliveryOutcomeInput {
  deliveryId: string;
  outcome: DeliveryOutcome;
  error?: string | null;
}

/**
 * Settles deliveries in one statement: sets each one's outcome, its error and `processed_at` (now;
 * null again for `received`). `duplicate` only settles a delivery nothing else has settled: a
 * redelivery must not hide what happened to the original. Unknown ids are ignored. The ids must
 * be distinct.
 */
export async function setDeliveryOutcomes(em: EntityManager, inputs: readonly DeliveryOutcomeInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const { sql, params } = valuesList(
    ['text', 'text', 'text'],
    inputs.map((input) => [input.deliveryId, input.outcome, input.error ?? null]),
  );
  await em.execute(
    `update "webhook_deliveries" as d
     set "outcome" = v."outcome", "error" = v."error",
         "processed_at" = case when v."outcome" = 'received' then null else now() end
     from (values ${sql}) as v ("delivery_id", "outcome", "error")
     where d."delivery_id" = v."delivery_id" and not (v."outcome" = 'duplicate' and d."outcome" not in ('received', 'duplicate'))`,
    params,
  );
}

/**
 * Settles one delivery (see {@link setDeliveryOutcomes}) and returns it as it now is, or null when
 * the delivery is unknown.
 */
export async function setDeliveryOutcome(
  em: EntityManager,
  deliveryId: string,
  outcome: DeliveryOutcome,
  error?: string | null,
): Promise<WebhookDelivery | null> {
  await setDeliveryOutcomes(em, [{ deliveryId, outcome, error: error ?? null }]);
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
  const { eventType, repository, outcome, action } = filters;
  const receivedAt = timeRange(filters.receivedFrom, filters.receivedUntil);
  return findPage(em, WebhookDeliverySchema, { eventType, repository, outcome, action, receivedAt }, ['receivedAt', 'deliveryId'], page);
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
