import type { WebhookEnvelope } from '../contracts/webhook-envelope.js';
import type { DeliveryReceivedInput } from '../effects/db/delivery-store.js';
import type { GithubEventPlan } from './github-event-plan.js';
import { deliverySighting } from './record-delivery.js';

/**
 * A GITHUB-stream delivery as an event actor holds it from decoding to settling: what its delivery
 * row records and the work planned for it, without the payload. Planning is pure, so it runs as soon
 * as the payload is parsed: the payload (tens of KB of objects for a pull request event) then dies
 * young, instead of being kept alive — and promoted to the old generation — through the batch's
 * transaction, which is what a batch of 64 held payloads costs in memory and garbage collection.
 */
export interface PlannedDelivery {
  deliveryId: string;
  event: string;
  action: string | undefined;
  /** Set when an operator replayed or redrove this delivery. */
  replayOf: string | undefined;
  sighting: DeliveryReceivedInput;
  plan: GithubEventPlan;
}

export function planDelivery(envelope: WebhookEnvelope, plan: (envelope: WebhookEnvelope) => GithubEventPlan): PlannedDelivery {
  return {
    deliveryId: envelope.deliveryId,
    event: envelope.event,
    action: envelope.action,
    replayOf: envelope.replayOf,
    sighting: deliverySighting(envelope),
    plan: plan(envelope),
  };
}
