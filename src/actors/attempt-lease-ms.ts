import type { ConsumerDefinition } from '../bus/stream-definitions.js';
import { DEFAULT_ATTEMPT_LEASE_MS } from '../effects/db/task-attempts.js';

/**
 * The lease of a task attempt: two thirds of the longest `ack_wait` of the TASKS consumers (the
 * analysis and Codegen actors), or {@link DEFAULT_ATTEMPT_LEASE_MS} when none sets one. Its owner
 * renews it every third of its length.
 *
 * Why two thirds: JetStream hands a dead holder's message to another instance `ack_wait` after the
 * holder last marked it working, and the runner marks held messages working every third of
 * `ack_wait`. So that message comes back between ⅔ and 1 × `ack_wait` after the death, while the
 * last renewed lease ran out by ⅔ × `ack_wait`: the redelivery always finds it over and takes
 * the task at once — none waits out a lease its message outlived (a lease as long as `ack_wait`
 * could still have up to a renewal period left). Nothing is taken from a live owner by it: no
 * other instance gets the message while the owner keeps marking it working, and the owner renews
 * the lease at the same rhythm.
 */
export function attemptLeaseMs(consumers: readonly ConsumerDefinition[]): number {
  const waits = consumers
    .filter((consumer) => consumer.stream === 'TASKS')
    .map((consumer) => Number(consumer.config.ack_wait ?? 0) / 1e6)
    .filter((ms) => ms > 0);
  return waits.length > 0 ? Math.floor((Math.max(...waits) * 2) / 3) : DEFAULT_ATTEMPT_LEASE_MS;
}
