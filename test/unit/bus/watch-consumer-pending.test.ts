import { expect } from 'chai';
import { jetstreamManager } from '@nats-io/jetstream';
import { watchConsumerPending } from '../../../src/bus/watch-consumer-pending.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';

describe('watchConsumerPending', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  before(async () => (scratch = await openScratchJetStream()));
  after(() => scratch.close());

  it('sets each durable consumer’s backlog, and keeps the last value when one cannot be read', async () => {
    for (let i = 0; i < 3; i += 1) await scratch.js.publish(scratch.topology.subject('github.push.none'), '{}');
    const metrics = createMetrics({ defaultMetrics: false });
    const watcher = watchConsumerPending({
      jsm: await jetstreamManager(scratch.nc),
      consumers: [
        { stream: scratch.topology.streams.github, durable: 'actor_push' },
        { stream: scratch.topology.streams.github, durable: 'actor_pull_request' },
        { stream: scratch.topology.streams.github, durable: 'no_such_consumer' },
      ],
      metrics,
      intervalMs: 3_600_000,
    });
    try {
      metrics.consumerPending.set({ consumer: 'no_such_consumer' }, 7);
      await watcher.sample();
      const values = Object.fromEntries((await metrics.consumerPending.get()).values.map((value) => [value.labels.consumer, value.value]));
      expect(values).to.deep.equal({ actor_push: 3, actor_pull_request: 0, no_such_consumer: 7 });
    } finally {
      watcher.stop();
    }
  });
});
