import { Observable } from 'rxjs';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { Logger } from '../observability/logger.js';
import type { PullCredit } from './pull-credit.js';

export interface ConsumeMessagesOptions {
  /** A durable pull consumer, from `js.consumers.get(stream, durable)`. */
  consumer: Consumer;
  /** Messages per pull request. The consumer's max_ack_pending bounds what is held unacked. */
  batch: number;
  logger: Logger;
  /** How long one pull request stays open on the server when fewer messages are there. Default 2 s. */
  expiresMs?: number;
  /**
   * The slots this consumer may hold: each pull asks only for free ones (at most `batch`), and
   * waits while none is. A message emitted keeps its slot until the subscriber releases it (when
   * it is settled); slots asked for but not delivered, and messages handed back, are released here.
   * Without it, pulls go on whatever the subscriber holds (bounded by max_ack_pending alone).
   */
  credit?: PullCredit;
}

/**
 * A durable pull consumer as an Observable of messages with explicit acknowledgement: a loop of
 * pull requests (`fetch`), each open at most `expiresMs`. Nothing is acked here: whoever subscribes
 * settles each message (settleMessage). Memory is bounded by the consumer's max_ack_pending.
 *
 * Unsubscribing (an actor pausing for an open breaker, or stopping) issues no further pull. A pull
 * already open on the server still delivers what arrives before it expires; those messages are
 * handed back with a delay of `expiresMs`, so they wait in JetStream for the next live pull instead
 * of being stranded until ack_wait — which is what a stopped `consume()` would do with them. Not
 * without delay: other stopped pulls may still be open (each pause or probe leaves one), and a
 * message bounced between them at once would spend all its deliveries in milliseconds.
 */
export function consumeMessages(options: ConsumeMessagesOptions): Observable<JsMsg> {
  const expires = options.expiresMs ?? 2000;
  const { credit } = options;
  return new Observable<JsMsg>((subscriber) => {
    let stopped = false;
    void (async () => {
      try {
        while (!stopped) {
          const wanted = credit ? await credit.acquire(options.batch) : options.batch;
          let delivered = 0;
          try {
            if (stopped) continue;
            const pulled = await options.consumer.fetch({ max_messages: wanted, expires });
            for await (const message of pulled) {
              delivered += 1;
              if (!stopped) {
                subscriber.next(message);
                continue;
              }
              message.nak(expires);
              credit?.release();
            }
          } finally {
            credit?.release(wanted - delivered);
          }
        }
      } catch (error) {
        if (!stopped) subscriber.error(error);
        else options.logger.debug({ err: error }, 'pull ended after the consumer was released');
      }
    })();
    return () => {
      stopped = true;
    };
  });
}
