import type { NatsConnection } from '@nats-io/transport-node';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { DeadLetterWriter } from './dead-letter.js';
import { storedMessageAt } from './stream-messages.js';

/**
 * JetStream stops offering a message after max_deliver without telling the consumer; it only
 * publishes a MAX_DELIVERIES advisory. That happens when a handler never settled the message
 * (a process crashed on it each time, or it outlived ack_wait). This copies such a message to the
 * DLQ so no event disappears silently. Queue group: one instance handles each advisory.
 */
export function watchMaxDeliveries(options: {
  nc: NatsConnection;
  jsm: JetStreamManager;
  streams: readonly string[];
  deadLetter: DeadLetterWriter;
  metrics: Metrics;
  logger: Logger;
}): { stop(): void } {
  const subscriptions = options.streams.map((stream) =>
    options.nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.*`, {
      queue: 'webhook-orchestrator-max-deliveries',
      callback: (error, message) => {
        if (error) return;
        void (async () => {
          const advisory = message.json<{ stream: string; consumer: string; stream_seq: number; deliveries: number }>();
          const stored = await storedMessageAt(options.jsm, advisory.stream, advisory.stream_seq);
          if (!stored) return;
          await options.deadLetter({
            stream: advisory.stream,
            consumer: advisory.consumer,
            seq: advisory.stream_seq,
            subject: stored.subject,
            headers: stored.header,
            data: stored.data,
            reason: `JetStream gave up after ${advisory.deliveries} deliveries without a settlement`,
          });
          options.metrics.deadLetters.inc({ actor: advisory.consumer.replace(/^actor_/, '') });
          options.logger.warn({ stream: advisory.stream, consumer: advisory.consumer, seq: advisory.stream_seq }, 'max deliveries reached; copied to the DLQ');
        })().catch((cause: unknown) => options.logger.error({ err: cause }, 'could not dead-letter a message after MAX_DELIVERIES'));
      },
    }),
  );
  return { stop: () => subscriptions.forEach((subscription) => subscription.unsubscribe()) };
}
