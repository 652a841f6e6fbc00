import type { PayloadStore } from '../../bus/payload-store.js';
import type { WebhookEnvelope } from '../../contracts/webhook-envelope.js';
import { setDeliveryOutcome } from '../../effects/db/delivery-store.js';
import {
  changeInstallationRepositories,
  setInstallationStatus,
  upsertInstallation,
} from '../../effects/db/installation-store.js';
import type { ActorDefinition } from '../actor-definition.js';
import { handlePerMessage } from '../handle-per-message.js';
import { recordDelivery } from '../record-delivery.js';
import { webhookDecoding } from '../webhook-decoding.js';
import { planInstallation } from './plan-installation.js';

/** installation and installation_repositories: no task; the installation record is kept current. */
export function createInstallationActor(options: { payloadStore: PayloadStore }): ActorDefinition<WebhookEnvelope> {
  return {
    name: 'installation',
    durables: ['actor_installation', 'actor_installation_repositories'],
    ...webhookDecoding(options.payloadStore),
    // Rare and order-sensitive per installation: one message at a time, each in its own unit of work.
    batch: { maxSize: 1, maxWaitMs: 0 },
    concurrency: 1,
    handleBatch: handlePerMessage<WebhookEnvelope>(async (envelope, { em, log }) => {
      await recordDelivery(em, envelope);
      const plan = planInstallation(envelope);
      let recorded = true;
      switch (plan.kind) {
        case 'ignore':
          await setDeliveryOutcome(em, envelope.deliveryId, 'ignored', plan.reason);
          return 'ignored';
        case 'upsert':
          await upsertInstallation(em, plan);
          break;
        case 'status':
          recorded = (await setInstallationStatus(em, plan.id, plan.status)) !== null;
          break;
        case 'repositories':
          recorded = (await changeInstallationRepositories(em, plan.id, plan)) !== null;
          break;
      }
      // An event about an installation we never saw created (it predates us) is kept as a delivery only.
      await setDeliveryOutcome(em, envelope.deliveryId, 'processed', recorded ? null : 'installation was not known');
      log.info({ installation_id: plan.id, change: plan.kind, recorded }, 'installation updated');
      return 'processed';
    }, 1),
  };
}
