import { expect } from 'chai';
import { Registry } from 'prom-client';
import { BREAKER_STATE_VALUE, createMetrics } from '../../../src/observability/metrics.js';

describe('createMetrics', () => {
  it('registers every metric of the service on its own registry, not the global one', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const names = (await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect(names).to.have.members([
      'orchestrator_webhook_requests_total',
      'orchestrator_webhook_request_duration_seconds',
      'orchestrator_webhook_body_bytes_in_flight',
      'orchestrator_events_processed_total',
      'orchestrator_event_processing_duration_seconds',
      'orchestrator_tasks_total',
      'orchestrator_retries_total',
      'orchestrator_circuit_breaker_state',
      'orchestrator_rate_limited_total',
      'orchestrator_consumer_pending_messages',
      'orchestrator_dead_letters_total',
      'orchestrator_codegen_runs_total',
      'orchestrator_github_api_calls_total',
      'orchestrator_github_rate_limit_remaining',
      'orchestrator_webhook_replay_checks_skipped_total',
      'orchestrator_recovery_runs_total',
      'orchestrator_recovery_redeliveries_total',
    ]);
  });

  it('can be made twice in one process, each counting on its own', async () => {
    const first = createMetrics({ defaultMetrics: false });
    const second = createMetrics({ defaultMetrics: false });
    first.tasks.inc({ task_type: 'push_analysis', status: 'succeeded' });
    expect((await first.tasks.get()).values.map((value) => value.value)).to.deep.equal([1]);
    expect((await second.tasks.get()).values).to.deep.equal([]);
  });

  it('adds process metrics only when asked, on the registry it is given', async () => {
    const registry = new Registry();
    const metrics = createMetrics({ registry });
    expect(metrics.registry).to.equal(registry);
    expect(await registry.metrics()).to.contain('process_cpu_user_seconds_total');
    expect(await createMetrics({ defaultMetrics: false }).registry.metrics()).to.not.contain('process_cpu_user_seconds_total');
  });
});

describe('BREAKER_STATE_VALUE', () => {
  it('orders the states closed, half-open, open', () => {
    expect(BREAKER_STATE_VALUE).to.deep.equal({ closed: 0, half_open: 1, open: 2 });
  });
});
