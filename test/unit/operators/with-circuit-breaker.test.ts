import { expect } from 'chai';
import type { TestScheduler } from 'rxjs/testing';
import { marbleScheduler } from '../../helpers/marble-scheduler.js';
import { catchError, concatMap, defer, merge, of, take, type Observable } from 'rxjs';
import { AppError, isAppError } from '../../../src/errors/app-error.js';
import { createCircuitBreaker } from '../../../src/operators/circuit-breaker.js';
import { withCircuitBreaker } from '../../../src/operators/with-circuit-breaker.js';

const outage = new AppError('dependency_failed', 'upstream 503');
const states = { c: 'closed', o: 'open', h: 'half_open' } as const;

/** Turns each call's outcome into a letter: its value, O for a fast failure, F for a real one. */
const outcomeLetter = (error: unknown): Observable<string> =>
  of(isAppError(error) && error.code === 'circuit_open' ? 'O' : 'F');

describe('withCircuitBreaker', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = marbleScheduler();
  });

  it('passes values and completion through while closed and records the success', () => {
    const breaker = createCircuitBreaker({ name: 'github', scheduler: testScheduler });
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const call = cold('-a|');
      expectObservable(call.pipe(withCircuitBreaker(breaker))).toBe('-a|');
      expectSubscriptions(call.subscriptions).toBe('^-!');
    });
    expect(breaker.state).to.equal('closed');
    expect(breaker.lastOutcome?.ok).to.equal(true);
  });

  it('opens after failures, fails fast without calling while open, probes after the cool-down and closes', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const breaker = createCircuitBreaker({ name: 'codegen', failureThreshold: 2, coolDownMs: 5 });
      const failing = cold('-#', undefined, outage);
      const working = cold('-s|');
      let calls = 0;
      const call = defer(() => (++calls <= 2 ? failing : working));

      const triggers = cold('a--b--c-----d');
      // The second failure opens the breaker, so it already comes out as circuit_open (O).
      const expected = '     -F--O-O------s';
      const stateTimeline = 'c---o----h----c';
      const result = triggers.pipe(
        concatMap(() => call.pipe(withCircuitBreaker(breaker), catchError(outcomeLetter))),
      );

      expectObservable(result).toBe(expected);
      expectObservable(breaker.state$, '^--------------!').toBe(stateTimeline, states);
      expectSubscriptions(failing.subscriptions).toBe(['^!', '---^!']);
      expectSubscriptions(working.subscriptions).toBe('------------^-!');
    });
  });

  it('fails fast with circuit_open carrying the seconds left in the cool-down', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const breaker = createCircuitBreaker({ name: 'github', failureThreshold: 1, coolDownMs: 2_500 });
      breaker.recordFailure(outage);
      const call = cold('-a|');
      const result = defer(() => call.pipe(withCircuitBreaker(breaker))).pipe(
        catchError((error: AppError) =>
          of({ code: error.code, retryAfterSeconds: error.retryAfterSeconds, details: error.details }),
        ),
      );
      // Subscribed 1 s into a 2.5 s cool-down: 1.5 s left, rounded up to 2.
      const late = cold('1s x').pipe(concatMap(() => result));
      expectObservable(late).toBe('1s x', {
        x: { code: 'circuit_open', retryAfterSeconds: 2, details: { breaker: 'github', state: 'open' } },
      });
    });
  });

  it('lets one probe through while half-open and fails the others fast with at least 1 s to wait', () => {
    const breaker = createCircuitBreaker({ name: 'github', failureThreshold: 1, coolDownMs: 1, scheduler: testScheduler });
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      breaker.recordFailure(outage);
      const call = cold('--p|');
      const guarded = (): Observable<unknown> =>
        call.pipe(
          withCircuitBreaker(breaker),
          catchError((error: AppError) => of(`${error.code}:${error.retryAfterSeconds}`)),
        );
      const result = cold('-x').pipe(concatMap(() => merge(guarded(), guarded())));

      expectObservable(result).toBe('-x-p', { x: 'circuit_open:1', p: 'p' });
      expectSubscriptions(call.subscriptions).toBe('-^--!');
    });
    expect(breaker.state).to.equal('closed');
  });

  it('gives the probe slot back when unsubscribed before any value', () => {
    const breaker = createCircuitBreaker({ name: 'database', failureThreshold: 1, coolDownMs: 1, scheduler: testScheduler });
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      breaker.recordFailure(outage);
      const hanging = cold('-----a|');
      // Subscribed at 2, once the breaker is half-open (from 1).
      expectObservable(hanging.pipe(withCircuitBreaker(breaker)), '--^-!').toBe('-');
      expectSubscriptions(hanging.subscriptions).toBe('--^-!');
    });
    expect(breaker.state).to.equal('half_open');
    expect(breaker.canPass()).to.equal(true);
  });

  it('records a success when the consumer stops after a value', () => {
    const breaker = createCircuitBreaker({ name: 'github', failureThreshold: 1, coolDownMs: 1, scheduler: testScheduler });
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      breaker.recordFailure(outage);
      const stream = cold('-a-b-c|');
      expectObservable(stream.pipe(withCircuitBreaker(breaker), take(1)), '--^').toBe('---(a|)');
      expectSubscriptions(stream.subscriptions).toBe('--^!');
    });
    expect(breaker.state).to.equal('closed');
  });

  it('passes errors through, counting only those that say the dependency is unwell; the one that opens it comes out as circuit_open', () => {
    const breaker = createCircuitBreaker({ name: 'github', failureThreshold: 1, coolDownMs: 10, scheduler: testScheduler });
    const notFound = new AppError('not_found', 'no such pull request');
    const states$: string[] = [];
    breaker.state$.subscribe((state) => states$.push(state));
    testScheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-#', undefined, notFound).pipe(withCircuitBreaker(breaker))).toBe('-#', undefined, notFound);
      const later = cold('--x').pipe(
        concatMap(() => cold('-#', undefined, outage).pipe(withCircuitBreaker(breaker))),
        catchError((error: unknown) => of(isAppError(error) ? { code: error.code, cause: error.cause, retryAfterSeconds: error.retryAfterSeconds } : error)),
      );
      expectObservable(later).toBe('---(e|)', { e: { code: 'circuit_open', cause: outage, retryAfterSeconds: 1 } });
    });
    // The 404 left it closed; the outage at 3 opened it, and it probed again 10 ms later.
    expect(states$).to.deep.equal(['closed', 'open', 'half_open']);
  });

  it('unsubscribes from the call when unsubscribed mid-flight while closed, recording nothing', () => {
    const breaker = createCircuitBreaker({ name: 'codegen', scheduler: testScheduler });
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const call = cold('----a|');
      expectObservable(call.pipe(withCircuitBreaker(breaker)), '^--!').toBe('---');
      expectSubscriptions(call.subscriptions).toBe('^--!');
    });
    expect(breaker.lastOutcome).to.equal(undefined);
  });
});
