import type { PayloadStore } from '../../bus/payload-store.js';
import type { StoredPayloadReader } from '../../bus/stored-payload-reader.js';
import type { WebhookEnvelope } from '../../contracts/webhook-envelope.js';
import { recordDeliveriesReceived, setDeliveryOutcomes } from '../../effects/db/delivery-store.js';
import type { ActorDefinition, ItemResult } from '../actor-definition.js';
import { groupByDelivery } from '../group-by-delivery.js';
import { deliverySighting } from '../record-delivery.js';
import { webhookDecoding } from '../webhook-decoding.js';

export interface OtherEventsActorOptions {
  payloadStore: PayloadStore;
  /** Events another actor owns; this one acks them without touching the database. */
  handledElsewhere: ReadonlySet<string>;
  /** Reads a payload back from the GITHUB stream: the consumer takes headers only. */
  readStored: StoredPayloadReader;
}

/**
 * Every delivery no other actor owns: stored and recorded as `ignored` (ping as `processed`:
 * it is GitHub's hello, and answering it is all there is to do), a batch in one transaction. NATS
 * 2.9 consumers take one filter subject, so this consumer sees `github.>` and skips the events
 * others handle. It is a `headers_only` consumer: the server sends it each message's headers, not
 * the payload that its own actor also receives (twice the bytes for every pull request event), and
 * the payloads of the rare events it records are read back from the stream by sequence.
 */
export function createOtherEventsActor(options: OtherEventsActorOptions): ActorDefinition<WebhookEnvelope> {
  return {
    name: 'other_events',
    // The durable keeps its first name: it lives on the JetStream server of existing installs, and
    // a new name would leave the old durable behind (its backlog growing) and replay the stream.
    durables: ['actor_deliveries'],
    ...webhookDecoding(options.payloadStore, (event) => options.handledElsewhere.has(event), options.readStored),
    async handleBatch(items, { em }): Promise<ItemResult[]> {
      const results = items.map((item): ItemResult => (options.handledElsewhere.has(item.input.event) ? 'skipped' : 'ignored'));
      const mine = items.filter((item) => !options.handledElsewhere.has(item.input.event));
      if (mine.length === 0) return results;
      const groups = groupByDelivery(mine);
      await em.transactional(async (tx) => {
        await recordDeliveriesReceived(tx, groups.map((group) => ({ ...deliverySighting(group.envelope), sightings: group.count })));
        await setDeliveryOutcomes(
          tx,
          groups.map(({ envelope }) =>
            envelope.event === 'ping'
              ? { deliveryId: envelope.deliveryId, outcome: 'processed' as const }
              : { deliveryId: envelope.deliveryId, outcome: 'ignored' as const, error: `no actor handles ${envelope.event} events` },
          ),
        );
      });
      items.forEach((item, index) => {
        if (item.input.event === 'ping') results[index] = 'processed';
      });
      return results;
    },
  };
}
