import type { BodyDigestStore } from '../bus/body-digest-store.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/** What the guard decided about one signed delivery, before anything is published. */
export type ReplayVerdict =
  /** A body never accepted: publish it; if the publish fails, call `release` before answering. */
  | { kind: 'new'; release(): Promise<void> }
  /** This delivery id already carried this body (GitHub's Redeliver, a retry): publish, it is idempotent. */
  | { kind: 'same_delivery' }
  /** The body was accepted under another delivery id: a captured request sent again. Do not publish. */
  | { kind: 'replay'; firstDeliveryId: string }
  /** No verdict (no store, or it did not answer): accept as before, without the replay check. */
  | { kind: 'unchecked' };

export interface ReplayGuardOptions {
  /** Undefined when the check is off (WEBHOOK_REPLAY_TTL_SECONDS=0). */
  store: BodyDigestStore | undefined;
  metrics: Metrics;
  logger: Logger;
}

export type ReplayGuard = (digest: string, deliveryId: string, log: Logger) => Promise<ReplayVerdict>;

const UNCHECKED: ReplayVerdict = { kind: 'unchecked' };
const SAME_DELIVERY: ReplayVerdict = { kind: 'same_delivery' };

/**
 * Recognises the same signed body sent again under a new X-GitHub-Delivery. GitHub signs the body
 * only, so the key is the body's digest alone: a key including any header could be dodged by
 * changing that header. The first delivery id to claim a digest owns it for the store's TTL.
 *
 * A store that does not answer never costs a delivery: the guard says `unchecked`, the delivery is
 * accepted as it was before this guard existed, and the skip is counted
 * (`orchestrator_webhook_replay_checks_skipped_total`) and logged once per outage.
 */
export function createReplayGuard(options: ReplayGuardOptions): ReplayGuard {
  const { store, metrics, logger } = options;
  // Exported from the start, so an alert on it has a series before the first outage.
  metrics.replayChecksSkipped.inc({ reason: 'store_unavailable' }, 0);
  let storeDown = false;
  return async function checkReplay(digest, deliveryId, log) {
    if (!store) return UNCHECKED;
    let claim;
    try {
      claim = await store.claim(digest, deliveryId);
    } catch (error) {
      metrics.replayChecksSkipped.inc({ reason: 'store_unavailable' });
      if (!storeDown) {
        storeDown = true;
        logger.warn({ err: error, bucket: store.bucket }, 'replay check skipped: the digest store does not answer; deliveries are accepted unchecked');
      }
      return UNCHECKED;
    }
    if (storeDown) {
      storeDown = false;
      logger.info({ bucket: store.bucket }, 'replay check resumed: the digest store answers again');
    }
    if (claim.kind === 'claimed') {
      return {
        kind: 'new',
        async release() {
          await store.release(digest, claim.revision).catch((error: unknown) => {
            // Harmless: GitHub's redelivery reuses this delivery id, which the claim lets through.
            log.warn({ err: error }, 'could not release the digest claim of a delivery that was not accepted');
          });
        },
      };
    }
    if (claim.deliveryId === deliveryId) return SAME_DELIVERY;
    // Both ids, never the body: the body may hold anything the sender put in it.
    log.warn({ delivery_id: deliveryId, first_delivery_id: claim.deliveryId }, 'replay_suspected: this signed body was already accepted under another delivery id');
    return { kind: 'replay', firstDeliveryId: claim.deliveryId };
  };
}
