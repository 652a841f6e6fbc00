import { expect } from 'chai';
import { VirtualTimeScheduler } from 'rxjs';
import { underDatabaseBreaker } from '../../../src/actors/under-database-breaker.js';
import { AppError } from '../../../src/errors/app-error.js';
import { createCircuitBreaker } from '../../../src/operators/circuit-breaker.js';

const unreachable = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('underDatabaseBreaker', () => {
  it('opens on outages only, then fails fast with the cool-down as the wait', async () => {
    // A virtual scheduler that is never flushed: its clock stands still, so the wait is exactly the cool-down.
    const breaker = createCircuitBreaker({ name: 'database', failureThreshold: 2, coolDownMs: 60_000, scheduler: new VirtualTimeScheduler() });
    const answer = Object.assign(new Error('duplicate key'), { code: '23505' });
    await underDatabaseBreaker(breaker, () => Promise.reject(answer)).catch((error: unknown) => expect(error).to.equal(answer));
    expect(breaker.state).to.equal('closed');
    for (let i = 0; i < 2; i += 1) {
      const error = await underDatabaseBreaker(breaker, () => Promise.reject(unreachable())).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(AppError).with.property('code', 'circuit_open');
    }
    expect(breaker.state).to.equal('open');
    let called = false;
    const refused = await underDatabaseBreaker(breaker, async () => (called = true)).catch((e: unknown) => e as AppError);
    expect(called).to.equal(false);
    expect((refused as AppError).retryAfterSeconds).to.equal(60);
    breaker.dispose();
  });

  it('passes results through and keeps the breaker closed', async () => {
    const breaker = createCircuitBreaker({ name: 'database' });
    expect(await underDatabaseBreaker(breaker, async () => 42)).to.equal(42);
    expect(breaker.state).to.equal('closed');
    breaker.dispose();
  });
});
