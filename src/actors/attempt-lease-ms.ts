import type { ConsumerDefinition } from '../bus/stream-definitions.js';
import { DEFAULT_ATTEMPT_LEASE_MS } from '../effects/db/task-attempts.js';

/**
 * The lease of a task attempt: the longest `ack_wait` of the TASKS consumers (the analysis and
 * Codegen actors), or {@link DEFAULT_ATTEMPT_LEASE_MS} when none sets one.
 *
 * Why ack_wait: JetStream hands a message to another instance only `ack_wait` after its holder last
 * marked it working, and the holder renews its attempts' leases at that same rhythm (a third of
 * the period). So when the process that held a task dies, its message comes back just as the
 * attempt's lease runs out — at most a renewal period early, and the refused message waits out
 * the rest — while a live owner keeps its tasks through a missed renewal or two.
 */
export function attemptLeaseMs(consumers: readonly ConsumerDefinition[]): number {
  const waits = consumers
    .filter((consumer) => consumer.stream === 'TASKS')
    .map((consumer) => Number(consumer.config.ack_wait ?? 0) / 1e6)
    .filter((ms) => ms > 0);
  return waits.length > 0 ? Math.max(...waits) : DEFAULT_ATTEMPT_LEASE_MS;
}
