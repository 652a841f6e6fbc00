import { jetstreamManager } from '@nats-io/jetstream';
import type { TestService } from './start-test-service.js';
import { waitFor } from './wait-for.js';

/**
 * Waits until no durable consumer on the service's streams has a message waiting or
 * unacknowledged (a message waiting for a delayed redelivery counts as unacknowledged).
 * Then nothing is left in flight and nothing more will happen on its own: a check for
 * "no second run" made after this cannot pass just because the machine was slow.
 */
export async function waitForIdleConsumers(service: Pick<TestService, 'nats' | 'topology'>, timeoutMs = 30_000): Promise<void> {
  const jsm = await jetstreamManager(service.nats.nc);
  const streams = Object.values(service.topology.streams);
  await waitFor(
    async () => {
      for (const stream of streams) {
        for await (const consumer of jsm.consumers.list(stream)) {
          if (consumer.num_pending + consumer.num_ack_pending > 0) return false;
        }
      }
      return true;
    },
    { timeoutMs, intervalMs: 100, message: 'every consumer to have settled its messages' },
  );
}
