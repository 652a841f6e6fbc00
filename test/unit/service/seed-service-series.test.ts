import { expect } from 'chai';
import { loadStreamDefinitions } from '../../../src/bus/stream-definitions.js';
import { TASK_STATUSES, TASK_TYPES } from '../../../src/effects/db/entities/task.js';
import { UNKNOWN_EVENT } from '../../../src/ingress/webhook-handler.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { seedServiceSeries } from '../../../src/service/seed-service-series.js';

describe('seedServiceSeries', () => {
  it('seeds a webhook series for each routed event, ping and the malformed-header label, and no other event', async () => {
    const metrics = createMetrics();
    seedServiceSeries(metrics, (await loadStreamDefinitions('streams')).consumers);
    const text = await metrics.registry.metrics();
    const events = new Set([...text.matchAll(/^orchestrator_webhook_requests_total\{event="([^"]+)",outcome="accepted"\} 0$/gm)].map((m) => m[1]));
    expect([...events].sort()).to.deep.equal(
      ['check_run', 'check_suite', 'installation', 'installation_repositories', 'ping', 'pull_request', 'push', UNKNOWN_EVENT].sort(),
    );
    expect(text).to.match(/^orchestrator_webhook_request_duration_seconds_count\{event="push",outcome="duplicate"\} 0$/m);
  });

  it('seeds every task type and status, the Codegen client\'s rate-limit scopes and every Codegen run status', async () => {
    const metrics = createMetrics();
    seedServiceSeries(metrics, []);
    const lines = (await metrics.registry.metrics()).split('\n');
    for (const taskType of TASK_TYPES) {
      for (const status of TASK_STATUSES) expect(lines).to.include(`orchestrator_tasks_total{task_type="${taskType}",status="${status}"} 0`);
    }
    for (const scope of ['codegen_create', 'codegen_read', 'codegen_api']) expect(lines).to.include(`orchestrator_rate_limited_total{scope="${scope}"} 0`);
    for (const status of ['created', 'completed', 'failed', 'cancelled']) expect(lines).to.include(`orchestrator_codegen_runs_total{status="${status}"} 0`);
  });
});
