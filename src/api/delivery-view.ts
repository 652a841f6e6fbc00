import type { Task } from '../effects/db/entities/task.js';
import type { DeliveryOutcome, WebhookDelivery } from '../effects/db/entities/webhook-delivery.js';
import { isoTime } from './iso-time.js';
import { toTaskView, type TaskView } from './task-view.js';

/** A delivery as the management API lists it: snake_case, ISO-8601 times, no payload. */
export interface DeliveryView {
  delivery_id: string;
  event_type: string;
  action: string | null;
  repository: string | null;
  installation_id: number | null;
  hook_id: string | null;
  stream_seq: number | null;
  outcome: DeliveryOutcome;
  received_at: string;
  processed_at: string | null;
  error: string | null;
}

/** A delivery's detail: the listed fields and the tasks it created. */
export interface DeliveryDetailView extends DeliveryView {
  tasks: TaskView[];
}

/** The API shape of a delivery; with `tasks`, its detail. */
export function toDeliveryView(delivery: WebhookDelivery): DeliveryView;
export function toDeliveryView(delivery: WebhookDelivery, tasks: readonly Task[]): DeliveryDetailView;
export function toDeliveryView(delivery: WebhookDelivery, tasks?: readonly Task[]): DeliveryView | DeliveryDetailView {
  const view: DeliveryView = {
    delivery_id: delivery.deliveryId,
    event_type: delivery.eventType,
    action: delivery.action,
    repository: delivery.repository,
    installation_id: delivery.installationId,
    hook_id: delivery.hookId,
    stream_seq: delivery.streamSeq,
    outcome: delivery.outcome,
    received_at: isoTime(delivery.receivedAt),
    processed_at: delivery.processedAt === null ? null : isoTime(delivery.processedAt),
    error: delivery.error,
  };
  if (tasks === undefined) return view;
  return { ...view, tasks: tasks.map((task) => toTaskView(task)) };
}
