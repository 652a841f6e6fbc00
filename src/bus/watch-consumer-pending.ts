import type { JetStreamManager } from '@nats-io/jetstream';
import type { Metrics } from '../observability/metrics.js';

/**
 * Samples each durable consumer's backlog (waiting + delivered-but-unacked) into
 * `orchestrator_consumer_pending_messages` every `intervalMs`. Failures leave the last value:
 * a NATS outage is reported by /health, not by a gauge dropping to zero.
 */
export function watchConsumerPending(options: {
  jsm: JetStreamManager;
  consumers: ReadonlyArray<{ stream: string; durable: string }>;
  metrics: Metrics;
  intervalMs?: number;
}): { stop(): void; sample(): Promise<void> } {
  const sample = async () => {
    await Promise.all(
      options.consumers.map(async ({ stream, durable }) => {
        const info = await options.jsm.consumers.info(stream, durable).catch(() => undefined);
        if (info) options.metrics.consumerPending.set({ consumer: durable }, info.num_pending + info.num_ack_pending);
      }),
    );
  };
  const timer = setInterval(() => void sample(), options.intervalMs ?? 5000);
  timer.unref();
  void sample();
  return { stop: () => clearInterval(timer), sample };
}
