import { expect } from 'chai';
import type { TestScheduler } from 'rxjs/testing';
import { marbleScheduler } from '../../helpers/marble-scheduler.js';
import type { SchedulerAction, SchedulerLike } from 'rxjs';
import { AppError } from '../../../src/errors/app-error.js';
import { createCircuitBreaker, type CircuitBreaker } from '../../../src/operators/circuit-breaker.js';

const states = { c: 'closed', o: 'open', h: 'half_open' } as const;
const outage = new AppError('dependency_failed', 'upstream 503');

/** Applies a marble of calls to a breaker: f = failure, s = success, a = acquire. */
function drive(breaker: CircuitBreaker, command: string): void {
  if (command === 'f') breaker.recordFailure(outage);
  if (command === 's') breaker.recordSuccess();
  if (command === 'a') breaker.tryAcquire();
}

describe('createCircuitBreaker', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = marbleScheduler();
  });

  it('opens after the threshold of consecutive failures, probes after the cool-down and closes on success', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const breaker = createCircuitBreaker({ name: 'github', failureThreshold: 3, coolDownMs: 5, scheduler: testScheduler });
      const calls = '   -fff-----as';
      const expected = 'c--o----h-c';
      const unsub = '   ^----------!';

      cold(calls).subscribe((command) => drive(breaker, command));
      expectObservable(breaker.state$, unsub).toBe(expected, states);
    });
  });

  it('reopens from half-open when the probe fails, restarting the cool-down', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const breaker = createCircuitBreaker({ name: 'codegen', failureThreshold: 2, coolDownMs: 4 });
      const calls = '   -ff----af';
      const expected = 'c-o---h-o---h';
      const unsub = '   ^------------!';

      cold(calls).subscribe((command) => drive(breaker, command));
      expectObservable(breaker.state$, unsub).toBe(expected, states);
    });
  });

  it('counts only consecutive failures: a success in between resets the count', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const breaker = createCircuitBreaker({ name: 'database', failureThreshold: 3, coolDownMs: 5 });
      const calls = '   -ffsfffs';
      const expected = 'c-----o';
      const unsub = '   ^-------!';

      cold(calls).subscribe((command) => drive(breaker, command));
      expectObservable(breaker.state$, unsub).toBe(expected, states);
    });
  });

  it('does not count errors that say the dependency answered (not retryable) as failures', () => {
    const breaker = createCircuitBreaker({ name: 'github', failureThreshold: 1, coolDownMs: 5, scheduler: testScheduler });
    expect(breaker.recordFailure(new AppError('not_found', 'no such pull request'))).to.equal(false);
    expect(breaker.state).to.equal('closed');
    expect(breaker.recordFailure(new Error('socket hang up'))).to.equal(true);
    expect(breaker.state).to.equal('open');
  });

  it('uses a custom isFailure to decide what counts', () => {
    const breaker = createCircuitBreaker({
      name: 'codegen',
      failureThreshold: 1,
      scheduler: testScheduler,
      isFailure: (error) => error instanceof AppError && error.code === 'rate_limited',
    });
    breaker.recordFailure(outage);
    expect(breaker.state).to.equal('closed');
    breaker.recordFailure(new AppError('rate_limited', 'slow down'));
    expect(breaker.state).to.equal('open');
  });

  it('tells callers its cool-down and what it counts, without recording anything', () => {
    const breaker = createCircuitBreaker({
      name: 'database',
      failureThreshold: 1,
      coolDownMs: 1234,
      scheduler: testScheduler,
      isFailure: (error) => error instanceof AppError && error.code === 'unavailable',
    });
    expect(breaker.coolDownMs).to.equal(1234);
    expect(breaker.isFailure(new AppError('unavailable', 'gone'))).to.equal(true);
    expect(breaker.isFailure(outage)).to.equal(false);
    expect(breaker.state, 'asking opened nothing').to.equal('closed');
    expect(breaker.lastOutcome).to.equal(undefined);
  });

  it('refuses calls while open and reports the time left in the cool-down', () => {
    testScheduler.run(({ cold }) => {
      const breaker = createCircuitBreaker({ name: 'github', failureThreshold: 1, coolDownMs: 10 });
      const observed: Array<[number, boolean, number]> = [];
      cold('--f--x---x-x').subscribe((command) => {
        drive(breaker, command);
        if (command === 'x') observed.push([testScheduler.now(), breaker.canPass(), breaker.retryAfterMs()]);
      });
      testScheduler.flush();
      // Opened at 2, so half-open (probing allowed) from 12.
      expect(observed).to.deep.equal([
        [5, false, 7],
        [9, false, 3],
        [11, false, 1],
      ]);
      expect(breaker.state).to.equal('half_open');
      expect(breaker.retryAfterMs()).to.equal(0);
    });
  });

  it('lets at most halfOpenMaxProbes calls through while half-open, and release gives a slot back', () => {
    testScheduler.run(() => {
      const breaker = createCircuitBreaker({ name: 'github', failureThreshold: 1, coolDownMs: 1, halfOpenMaxProbes: 2 });
      breaker.recordFailure(outage);
      testScheduler.flush();
      expect(breaker.state).to.equal('half_open');
      expect([breaker.tryAcquire(), breaker.tryAcquire(), breaker.tryAcquire()]).to.deep.equal([true, true, false]);
      expect(breaker.canPass()).to.equal(false);
      breaker.release();
      expect(breaker.canPass()).to.equal(true);
      expect(breaker.tryAcquire()).to.equal(true);
      expect(breaker.tryAcquire()).to.equal(false);
    });
  });

  it('ignores outcomes of calls that finish while it is open, keeping the cool-down as it was', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const breaker = createCircuitBreaker({ name: 'database', failureThreshold: 1, coolDownMs: 5 });
      const calls = '   -f-fs';
      const expected = 'co----h';
      const unsub = '   ^------!';

      cold(calls).subscribe((command) => drive(breaker, command));
      expectObservable(breaker.state$, unsub).toBe(expected, states);
    });
  });

  it('remembers the last outcome for health checks', () => {
    const breaker = createCircuitBreaker({ name: 'codegen', scheduler: testScheduler });
    expect(breaker.lastOutcome).to.equal(undefined);
    breaker.recordFailure(outage);
    expect(breaker.lastOutcome).to.deep.equal({ ok: false, at: testScheduler.now(), error: outage });
    breaker.recordSuccess();
    expect(breaker.lastOutcome).to.deep.equal({ ok: true, at: testScheduler.now() });
  });

  it('replays the current state to a late subscriber', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const breaker = createCircuitBreaker({ name: 'github', failureThreshold: 1, coolDownMs: 50 });
      cold('-f').subscribe((command) => drive(breaker, command));
      expectObservable(breaker.state$, '---^--!').toBe('---o', states);
    });
  });

  it('defaults to 5 failures and a 30 s cool-down on asyncScheduler', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const breaker = createCircuitBreaker({ name: 'github' });
      cold('fffff').subscribe((command) => drive(breaker, command));
      expectObservable(breaker.state$, '^ 30004ms !').toBe('c---o 29999ms h', states);
    });
  });

  it('cancels the cool-down and completes state$ on dispose', () => {
    const timers: string[] = [];
    const recording: SchedulerLike = {
      now: () => testScheduler.now(),
      schedule: (work, delay, state) => {
        timers.push(`scheduled ${delay}`);
        return testScheduler.schedule(work as (this: SchedulerAction<unknown>, state?: unknown) => void, delay, state);
      },
    };
    testScheduler.run(({ cold, expectObservable }) => {
      const breaker = createCircuitBreaker({ name: 'github', failureThreshold: 1, coolDownMs: 5, scheduler: recording });
      cold('-f-d').subscribe((command) => (command === 'd' ? breaker.dispose() : drive(breaker, command)));
      expectObservable(breaker.state$).toBe('co-|', states);
    });
    expect(timers).to.deep.equal(['scheduled 5']);
  });

  it('rejects a threshold or probe count below 1 and a negative cool-down', () => {
    expect(() => createCircuitBreaker({ name: 'x', failureThreshold: 0 })).to.throw(RangeError, /failureThreshold/);
    expect(() => createCircuitBreaker({ name: 'x', halfOpenMaxProbes: 0 })).to.throw(RangeError, /halfOpenMaxProbes/);
    expect(() => createCircuitBreaker({ name: 'x', coolDownMs: -1 })).to.throw(RangeError, /coolDownMs/);
  });
});
