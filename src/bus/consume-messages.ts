import { Observable } from 'rxjs';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { Logger } from '../observability/logger.js';

export interface ConsumeMessagesOptions {
  /** A durable pull consumer, from `js.consumers.get(stream, durable)`. */
  consumer: Consumer;
  /** Messages per pull request. The consumer's max_ack_pending bounds what is held unacked. */
  batch: number;
  logger: Logger;
  /** How long one pull request stays open on the server when fewer messages are there. Default 2 s. */
  expiresMs?: number;
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
  return new Observable<JsMsg>((subscriber) => {
    let stopped = false;
    void (async () => {
      try {
        while (!stopped) {
          const pulled = await options.consumer.fetch({ max_messages: options.batch, expires });
          for await (const message of pulled) {
            if (stopped) message.nak(expires);
            else subscriber.next(message);
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
