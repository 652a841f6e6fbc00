import { Observable } from 'rxjs';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { Logger } from '../observability/logger.js';

export interface ConsumeMessagesOptions {
  /** A durable pull consumer, from `js.consumers.get(stream, durable)`. */
  consumer: Consumer;
  /** Messages per pull request. The consumer's max_ack_pending bounds what is held unacked. */
  batch: number;
  logger: Logger;
}

/**
 * A durable pull consumer as an Observable of messages with explicit acknowledgement. Nothing is
 * acked here: whoever subscribes settles each message (settleMessage). Unsubscribing stops
 * pulling; messages already pulled but not settled are redelivered by JetStream after ack_wait,
 * so a stop never loses or double-acks a message. Memory is bounded by the consumer's
 * max_ack_pending: the server sends no more than that many unacknowledged messages.
 */
export function consumeMessages(options: ConsumeMessagesOptions): Observable<JsMsg> {
  return new Observable<JsMsg>((subscriber) => {
    let stopped = false;
    let messages: Awaited<ReturnType<Consumer['consume']>> | undefined;
    void (async () => {
      try {
        messages = await options.consumer.consume({ max_messages: options.batch });
        if (stopped) {
          messages.stop();
          return;
        }
        void (async () => {
          for await (const status of messages!.status()) {
            // Expected conditions (heartbeats missed during a NATS restart, consumer recreated):
            // reported as data, once each, not thrown.
            if (status.type === 'heartbeats_missed' || status.type === 'consumer_not_found' || status.type === 'stream_not_found') {
              options.logger.warn({ consumer_status: status.type }, 'consumer notification');
            }
          }
        })().catch(() => undefined);
        for await (const message of messages) {
          if (stopped) break;
          subscriber.next(message);
        }
        if (!stopped) subscriber.complete();
      } catch (error) {
        if (!stopped) subscriber.error(error);
      }
    })();
    return () => {
      stopped = true;
      messages?.stop();
    };
  });
}
