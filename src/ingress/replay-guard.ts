import type { ReadLastDelivery } from '../bus/read-last-delivery.js';
import type { PublishResult, WebhookPublication, WebhookPublisher } from '../bus/webhook-publisher.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/** What became of one signed delivery handed to the guard. */
export type GuardedPublication =
  /** Stored now: a body never accepted (or forgotten: older than the horizon). */
  | { kind: 'queued'; stream: string; seq: number }
  /**
   * Already stored under this delivery id (GitHub's Redeliver, a retry), or the body is stored and
   * its first delivery id could not be read (`seq` 0). Nothing stored now.
   */
  | { kind: 'duplicate'; stream: string; seq: number }
  /** The body was accepted under another delivery id: a captured request sent again. Nothing stored. */
  | { kind: 'replay'; stream: string; firstDeliveryId: string };

export interface ReplayGuardOptions {
  publish: WebhookPublisher;
  /** Reads the delivery a body's subject holds; undefined when the check is off (WEBHOOK_REPLAY_TTL_SECONDS=0). */
  readLast: ReadLastDelivery | undefined;
  /** The GITHUB stream's deployed name (what a `duplicate` answer names when no PubAck did). */
  stream: string;
  /** How long an accepted body is remembered, in ms (the GITHUB stream's max_age bounds it too). */
  horizonMs: number;
  metrics: Metrics;
  logger: Logger;
  now?: () => number;
}

/** `log` gives the request's logger; it is called only when there is something to log. */
export type ReplayGuard = (publication: WebhookPublication, log: () => Logger) => Promise<GuardedPublication>;

// A refusal, then a read, then a retry: more than three rounds means others keep storing this body.
const MAX_ROUNDS = 3;

/**
 * Publishes a delivery so that the same signed body is stored at most once per horizon, whatever
 * delivery id it comes under. GitHub signs the body only, so the key is the body's digest alone (a
 * key including any header could be dodged by changing that header): it is the last token of the
 * message's subject, and the publish expects that subject to hold no message yet. The server checks
 * and stores in one step, so the check costs no round trip of its own, and of two instances racing
 * with one body exactly one stores it.
 *
 * When the server refuses, the newest message on the subject says who came first: this delivery id
 * → an ordinary duplicate (GitHub's Redeliver); another id → `replay_suspected`, counted and logged
 * with both ids, never the body; stored longer ago than the horizon → the body was forgotten, and
 * this publish expects that message as the subject's last instead. Should that read fail, the body
 * is stored all the same (that is why the server refused): the delivery is answered a duplicate,
 * never lost, and the skipped check is counted (`orchestrator_webhook_replay_checks_skipped_total`)
 * and logged once per outage.
 */
export function createReplayGuard(options: ReplayGuardOptions): ReplayGuard {
  const { publish, readLast, stream, horizonMs, metrics, logger } = options;
  const now = options.now ?? Date.now;
  // Exported from the start, so an alert on it has a series before the first outage.
  metrics.replayChecksSkipped.inc({ reason: 'store_unavailable' }, 0);
  let readFailing = false;

  const stored = (result: Extract<PublishResult, { kind: 'stored' }>): GuardedPublication => ({
    kind: result.duplicate ? 'duplicate' : 'queued',
    stream: result.stream,
    seq: result.seq,
  });

  const unchecked = (error: unknown): GuardedPublication => {
    metrics.replayChecksSkipped.inc({ reason: 'store_unavailable' });
    if (!readFailing) {
      readFailing = true;
      logger.warn({ err: error, stream }, 'replay check skipped: a stored body could not be read back; its deliveries are answered duplicate unchecked');
    }
    return { kind: 'duplicate', stream, seq: 0 };
  };

  return async function publishOnce(publication, log) {
    if (!readLast) {
      // Without an expectation the server never refuses for the body: it stores or dedupes by id.
      const result = await publish(publication);
      return result.kind === 'stored' ? stored(result) : { kind: 'duplicate', stream, seq: 0 };
    }
    let expectLastSeq = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const result = await publish(publication, { expectLastSeq });
      if (result.kind === 'stored') return stored(result);
      let last;
      try {
        last = await readLast(result.subject);
      } catch (error) {
        return unchecked(error);
      }
      if (readFailing) {
        readFailing = false;
        logger.info({ stream }, 'replay check resumed: stored bodies can be read back again');
      }
      if (last === null) {
        // Gone between the refusal and the read (aged out, deleted): the subject is free again.
        expectLastSeq = 0;
        continue;
      }
      if (last.deliveryId === publication.deliveryId) return { kind: 'duplicate', stream, seq: last.seq };
      if (now() - last.storedAtMs >= horizonMs) {
        expectLastSeq = last.seq;
        continue;
      }
      const firstDeliveryId = last.deliveryId ?? 'unknown';
      // Both ids, never the body: the body may hold anything the sender put in it.
      log().warn(
        { delivery_id: publication.deliveryId, first_delivery_id: firstDeliveryId },
        'replay_suspected: this signed body was already accepted under another delivery id',
      );
      return { kind: 'replay', stream, firstDeliveryId };
    }
    return unchecked(new Error(`the body's subject changed ${MAX_ROUNDS} times while it was being published`));
  };
}
