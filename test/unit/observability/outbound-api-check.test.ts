import { expect } from 'chai';
import { VirtualTimeScheduler } from 'rxjs';
import { AppError } from '../../../src/errors/app-error.js';
import { outboundApiCheck } from '../../../src/observability/outbound-api-check.js';
import { createCircuitBreaker } from '../../../src/operators/circuit-breaker.js';

describe('outboundApiCheck', () => {
  const setup = (configured = true) => {
    const scheduler = new VirtualTimeScheduler();
    const breaker = createCircuitBreaker({ name: 'github', failureThreshold: 1, coolDownMs: 1000, scheduler });
    let last: { at: Date | number; outcome: string } | undefined;
    const check = outboundApiCheck({ name: 'github', configured, breaker, lastCall: () => last });
    return { scheduler, breaker, check, setLast: (value: typeof last) => (last = value) };
  };

  it('is a non-critical check named after the dependency', () => {
    expect(setup().check).to.include({ name: 'github', critical: false });
  });

  it('is up while the breaker is closed, with the last call when there was one', () => {
    const { check, setLast } = setup();
    expect(check.check()).to.deep.equal({ status: 'up', breaker: 'closed', last_call: null });
    setLast({ at: Date.UTC(2026, 10, 29, 9, 0, 0), outcome: 'ok' });
    expect(check.check()).to.deep.equal({ status: 'up', breaker: 'closed', last_call: { at: '2026-11-29T09:00:00.000Z', outcome: 'ok' } });
  });

  it('is down while the breaker is open and degraded while it probes', () => {
    const { check, breaker, scheduler } = setup();
    breaker.recordFailure(new AppError('dependency_timeout', 'slow'));
    expect(check.check()).to.deep.include({ status: 'down', breaker: 'open' });
    scheduler.flush();
    expect(check.check()).to.deep.include({ status: 'degraded', breaker: 'half_open' });
  });

  it('says not_configured, whatever the breaker, when the dependency has no credentials', () => {
    const { check, breaker } = setup(false);
    breaker.recordFailure(new AppError('dependency_failed', 'x'));
    expect(check.check()).to.deep.equal({ status: 'not_configured', breaker: 'open', last_call: null });
  });
});
