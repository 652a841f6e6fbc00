import type { PayloadStore } from '../../bus/payload-store.js';
import type { WebhookEnvelope } from '../../contracts/webhook-envelope.js';
import { setDeliveryOutcome } from '../../effects/db/delivery-store.js';
import type { ActorDefinition } from '../actor-definition.js';
import { recordDelivery } from '../record-delivery.js';
import { webhookDecoding } from '../webhook-actor-options.js';

export interface OtherEventsActorOptions {
  payloadStore: PayloadStore;
  /** Events another actor owns; this one acks them without touching the database. */
  handledElsewhere: ReadonlySet<string>;
}

/**
 * Every delivery no other actor owns: stored and recorded as `ignored` (ping as `processed`:
 * it is GitHub's hello, and answering it is all there is to do). NATS 2.9 consumers take one
 * filter subject, so this consumer sees `github.>` and skips the events others handle.
 */
export function createOtherEventsActor(options: OtherEventsActorOptions): ActorDefinition<WebhookEnvelope> {
  return {
    name: 'other_events',
    durables: ['actor_deliveries'],
    ...webhookDecoding(options.payloadStore, (event) => options.handledElsewhere.has(event)),
    async handle(envelope, { em }) {
      if (options.handledElsewhere.has(envelope.event)) return 'skipped';
      await recordDelivery(em, envelope);
      if (envelope.event === 'ping') {
        await setDeliveryOutcome(em, envelope.deliveryId, 'processed');
        return 'processed';
      }
      await setDeliveryOutcome(em, envelope.deliveryId, 'ignored', `no actor handles ${envelope.event} events`);
      return 'ignored';
    },
  };
}
