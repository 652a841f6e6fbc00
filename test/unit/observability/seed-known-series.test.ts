import { expect } from 'chai';
import { createMetrics } from '../../../src/observability/metrics.js';
import { seedKnownSeries } from '../../../src/observability/seed-known-series.js';

const known = {
  webhookEvents: ['push', 'ping'],
  webhookOutcomes: ['accepted', 'invalid_signature'],
  webhookLatencyOutcomes: ['accepted'],
  taskTypes: ['push_analysis'],
  taskStatuses: ['queued', 'failed'],
  rateLimitScopes: ['global'],
  codegenStatuses: ['created'],
};

describe('seedKnownSeries', () => {
  it('creates every known series at 0 before anything happened: event × outcome, type × status, scopes, run statuses', async () => {
    const metrics = createMetrics();
    seedKnownSeries(metrics, known);
    const text = await metrics.registry.metrics();
    for (const series of [
      'orchestrator_webhook_requests_total{event="push",outcome="accepted"} 0',
      'orchestrator_webhook_requests_total{event="ping",outcome="invalid_signature"} 0',
      'orchestrator_tasks_total{task_type="push_analysis",status="failed"} 0',
      'orchestrator_rate_limited_total{scope="global"} 0',
      'orchestrator_codegen_runs_total{status="created"} 0',
      'orchestrator_webhook_request_duration_seconds_count{event="ping",outcome="accepted"} 0',
    ]) {
      expect(text.split('\n'), series).to.include(series);
    }
  });

  it('seeds answer times only for the outcomes asked for', async () => {
    const metrics = createMetrics();
    seedKnownSeries(metrics, known);
    expect(await metrics.registry.metrics()).to.not.match(/orchestrator_webhook_request_duration_seconds_count\{[^}]*outcome="invalid_signature"/);
  });

  it('leaves a count already made as it is', async () => {
    const metrics = createMetrics();
    metrics.codegenRuns.inc({ status: 'created' });
    seedKnownSeries(metrics, known);
    expect((await metrics.registry.metrics()).split('\n')).to.include('orchestrator_codegen_runs_total{status="created"} 1');
  });
});
