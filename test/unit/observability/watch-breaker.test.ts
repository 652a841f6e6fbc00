import { expect } from 'chai';
import { VirtualTimeScheduler } from 'rxjs';
import { AppError } from '../../../src/errors/app-error.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { watchBreaker } from '../../../src/observability/watch-breaker.js';
import { createCircuitBreaker } from '../../../src/operators/circuit-breaker.js';
import { captureLogger } from '../../helpers/capture-logger.js';

describe('watchBreaker', () => {
  const setup = () => {
    const scheduler = new VirtualTimeScheduler();
    const breaker = createCircuitBreaker({ name: 'codegen', failureThreshold: 1, coolDownMs: 1000, scheduler });
    const metrics = createMetrics({ defaultMetrics: false });
    const captured = captureLogger();
    const subscription = watchBreaker(breaker, metrics, captured.logger);
    const gauge = async () => (await metrics.breakerState.get()).values.find((value) => value.labels.dependency === 'codegen')?.value;
    return { scheduler, breaker, captured, subscription, gauge };
  };

  it('sets the gauge to the current state at once without logging it', async () => {
    const { gauge, captured } = setup();
    expect(await gauge()).to.equal(0);
    expect(captured.lines).to.deep.equal([]);
  });

  it('mirrors every change into the gauge and logs each once: open as a warning', async () => {
    const { breaker, scheduler, gauge, captured } = setup();
    breaker.recordFailure(new AppError('dependency_failed', 'down'));
    expect(await gauge()).to.equal(2);
    scheduler.flush();
    expect(await gauge()).to.equal(1);
    breaker.tryAcquire();
    breaker.recordSuccess();
    expect(await gauge()).to.equal(0);
    expect(captured.records().map((line) => [line.level, line.msg, line.dependency, line.state])).to.deep.equal([
      [40, 'circuit breaker opened: calls fail fast, messages wait in JetStream', 'codegen', 'open'],
      [30, 'circuit breaker half-open: probing', 'codegen', 'half_open'],
      [30, 'circuit breaker closed: calls resume', 'codegen', 'closed'],
    ]);
  });

  it('stops mirroring once unsubscribed', async () => {
    const { breaker, subscription, gauge, captured } = setup();
    subscription.unsubscribe();
    breaker.recordFailure(new AppError('dependency_failed', 'down'));
    expect(await gauge()).to.equal(0);
    expect(captured.lines).to.deep.equal([]);
  });
});
