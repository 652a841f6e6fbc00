import { expect } from 'chai';
import { createApp } from '../../../src/ingress/create-app.js';
import { createMetricsRoute } from '../../../src/ingress/metrics-route.js';
import { createShutdownGate } from '../../../src/ingress/shutdown-gate.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { silentLogger } from '../../helpers/test-database.js';
import { listen } from '../../helpers/listen.js';

describe('createMetricsRoute', () => {
  it('serves the registry it is given in the Prometheus text format', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.deadLetters.inc({ actor: 'push' }, 3);
    const app = createApp({ logger: silentLogger(), shutdownGate: createShutdownGate(), routers: [createMetricsRoute(metrics.registry)] });
    const server = await listen(app.callback());
    try {
      const response = await fetch(`${server.url}/metrics`);
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.equal(metrics.registry.contentType);
      expect(await response.text()).to.contain('orchestrator_dead_letters_total{actor="push"} 3');
    } finally {
      await server.close();
    }
  });
});
