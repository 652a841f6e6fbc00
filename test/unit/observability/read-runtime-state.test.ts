import { expect } from 'chai';
import { createMetrics } from '../../../src/observability/metrics.js';
import { readRuntimeState } from '../../../src/observability/read-runtime-state.js';

describe('readRuntimeState', () => {
  it('reads breaker states and consumer depths from the metrics registry, sorted by name', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.breakerState.set({ dependency: 'github' }, 2);
    metrics.breakerState.set({ dependency: 'codegen' }, 1);
    metrics.breakerState.set({ dependency: 'database' }, 0);
    metrics.consumerPending.set({ consumer: 'actor_push' }, 4);
    metrics.consumerPending.set({ consumer: 'actor_analysis' }, 0);
    expect(await readRuntimeState(metrics.registry)).to.deep.equal({
      breakers: [
        { dependency: 'codegen', state: 'half_open' },
        { dependency: 'database', state: 'closed' },
        { dependency: 'github', state: 'open' },
      ],
      consumers: [
        { consumer: 'actor_analysis', pending: 0 },
        { consumer: 'actor_push', pending: 4 },
      ],
    });
  });

  it('reads empty lists before anything was sampled, and skips a gauge value that is no breaker state', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    expect(await readRuntimeState(metrics.registry)).to.deep.equal({ breakers: [], consumers: [] });
    metrics.breakerState.set({ dependency: 'github' }, 7);
    expect((await readRuntimeState(metrics.registry)).breakers).to.deep.equal([]);
  });
});
