import { expect } from 'chai';
import { finalize } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { AppError } from '../../../src/errors/app-error.js';
import { createCircuitBreaker } from '../../../src/operators/circuit-breaker.js';
import { probeWhileOpen } from '../../../src/operators/probe-while-open.js';
import { marbleScheduler } from '../../helpers/marble-scheduler.js';

const states = { c: 'closed', o: 'open', h: 'half_open' } as const;
const down = new AppError('dependency_failed', 'connection refused');

describe('probeWhileOpen', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = marbleScheduler();
  });

  it('ends the cool-down at the first check that answers, long before the cool-down would', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const breaker = createCircuitBreaker({ name: 'database', failureThreshold: 1, coolDownMs: 50, scheduler: testScheduler });
      // Opens at frame 1; checks at 4, 7 and 10 (interval 3), each answering a frame later: no, no, yes.
      const answers = [false, false, true];
      let checks = 0;
      const probing = probeWhileOpen(breaker, { intervalMs: 3, scheduler: testScheduler, check: () => cold('-(a|)', { a: answers[checks++] ?? true }) });
      cold('-f').subscribe(() => breaker.recordFailure(down));
      expectObservable(breaker.state$, '^-----------!').toBe('co---------h', states);
      testScheduler.flush();
      expect(checks).to.equal(3);
      probing.unsubscribe();
    });
  });

  it('counts a check that fails or errors as no answer', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const breaker = createCircuitBreaker({ name: 'database', failureThreshold: 1, coolDownMs: 50, scheduler: testScheduler });
      let checks = 0;
      const probing = probeWhileOpen(breaker, {
        intervalMs: 2,
        scheduler: testScheduler,
        check: () => (++checks === 1 ? cold('#', undefined, new Error('ECONNREFUSED')) : cold('(a|)', { a: true })),
      });
      // Opens at 1; the check at 3 errors, the one at 5 answers.
      cold('-f').subscribe(() => breaker.recordFailure(down));
      expectObservable(breaker.state$, '^------!').toBe('co---h', states);
      testScheduler.flush();
      probing.unsubscribe();
    });
  });

  it('checks nothing while closed, one check at a time while open, and stops once the calls have closed it', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const breaker = createCircuitBreaker({ name: 'database', failureThreshold: 1, coolDownMs: 6, scheduler: testScheduler });
      let checks = 0;
      let inFlight = 0;
      let mostInFlight = 0;
      const probing = probeWhileOpen(breaker, {
        intervalMs: 1,
        scheduler: testScheduler,
        // Slower than the interval, and never answering: the cool-down runs out as usual.
        check: () => {
          checks += 1;
          mostInFlight = Math.max(mostInFlight, ++inFlight);
          return cold('---(a|)', { a: false }).pipe(finalize(() => (inFlight -= 1)));
        },
      });
      // Closed for 10 frames, fails at 10, half-open at 16, a success closes it at 17.
      cold('----------f------s').subscribe((command) => (command === 'f' ? breaker.recordFailure(down) : breaker.recordSuccess()));
      expectObservable(breaker.state$, '^-------------------------!').toBe('c---------o-----hc', states);
      testScheduler.flush();
      expect(mostInFlight).to.equal(1);
      // Open from 10 to 16: checks start at 11 and 15 (each takes 3 frames, the next starts on the next tick after).
      expect(checks).to.equal(2);
      probing.unsubscribe();
    });
  });
});
