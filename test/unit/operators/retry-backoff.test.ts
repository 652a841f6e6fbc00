import { expect } from 'chai';
import type { TestScheduler } from 'rxjs/testing';
import { marbleScheduler } from '../../helpers/marble-scheduler.js';
import { defer, take } from 'rxjs';
import { AppError } from '../../../src/errors/app-error.js';
import { retryBackoff, type RetryInfo } from '../../../src/operators/retry-backoff.js';

const fixed3 = { strategy: 'fixed', baseMs: 3, maxMs: 100, jitter: 'none' } as const;
const transient = new AppError('dependency_failed', 'upstream 502');

describe('retryBackoff', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = marbleScheduler();
  });

  it('passes values and completion through untouched when nothing fails', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-|');
      const subs = '       ^----!';
      const expected = '   -a-b-|';

      expectObservable(source.pipe(retryBackoff({ maxRetries: 3, backoff: fixed3 }))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('resubscribes after a fixed wait on each error, then passes on the error after the last retry', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--#', undefined, transient);
      const subs = [
        '                  ^----!',
        '                  --------^----!',
        '                  ----------------^----!',
      ];
      const expected = '   --a-------a-------a--#';

      const result = source.pipe(retryBackoff({ maxRetries: 2, backoff: fixed3, resetOnSuccess: false }));
      expectObservable(result).toBe(expected, undefined, transient);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('waits the exponential schedule between tries, capped at maxMs', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, transient);
      // Waits 2, 4, 8 then the 10 ms cap: tries at 0, 2, 6, 14, 24.
      const subs = ['(^!)', '--(^!)', '------(^!)', '--------------(^!)', '------------------------(^!)'];
      const expected = '------------------------#';
      const backoff = { strategy: 'exponential', baseMs: 2, maxMs: 10, jitter: 'none' } as const;

      expectObservable(source.pipe(retryBackoff({ maxRetries: 4, backoff }))).toBe(expected, undefined, transient);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('uses the injected random() for full jitter', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, transient);
      const backoff = { strategy: 'fixed', baseMs: 10, maxMs: 10, jitter: 'full' } as const;
      // random() = 0.5 halves every 10 ms wait.
      const subs = ['(^!)', '-----(^!)', '----------(^!)'];
      const expected = '----------#';

      const result = source.pipe(retryBackoff({ maxRetries: 2, backoff, random: () => 0.5 }));
      expectObservable(result).toBe(expected, undefined, transient);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('tells onRetry the attempt, the wait and the error before each wait', () => {
    const retries: RetryInfo[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('-#', undefined, transient);
      const result = source.pipe(
        retryBackoff({ maxRetries: 2, backoff: fixed3, onRetry: (info) => retries.push(info) }),
      );
      expectObservable(result).toBe('         ---------#', undefined, transient);
    });
    expect(retries).to.deep.equal([
      { attempt: 1, delayMs: 3, error: transient },
      { attempt: 2, delayMs: 3, error: transient },
    ]);
  });

  it('passes a non-retryable error straight through without resubscribing', () => {
    const permanent = new AppError('bad_request', 'malformed payload');
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#', undefined, permanent);
      const subs = '       ^--!';
      const expected = '   -a-#';

      expectObservable(source.pipe(retryBackoff({ maxRetries: 5, backoff: fixed3 }))).toBe(expected, undefined, permanent);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('asks a custom shouldRetry instead of the error classification', () => {
    const seen: unknown[] = [];
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, transient);
      const shouldRetry = (error: unknown): boolean => {
        seen.push(error);
        return false;
      };

      expectObservable(source.pipe(retryBackoff({ maxRetries: 5, shouldRetry }))).toBe('-#', undefined, transient);
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
    expect(seen).to.deep.equal([transient]);
  });

  it('never retries with maxRetries 0', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--#', undefined, transient);
      expectObservable(source.pipe(retryBackoff({ maxRetries: 0 }))).toBe('--#', undefined, transient);
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('recovers when a retry succeeds', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('-#', undefined, transient);
      const working = cold('-a|');
      let calls = 0;
      const source = defer(() => (++calls < 3 ? failing : working));
      const expected = '   ---------a|';

      expectObservable(source.pipe(retryBackoff({ maxRetries: 5, backoff: fixed3 }))).toBe(expected);
      expectSubscriptions(failing.subscriptions).toBe(['^!', '----^!']);
      expectSubscriptions(working.subscriptions).toBe('--------^-!');
    });
  });

  it('restarts the schedule at attempt 1 after a value when resetOnSuccess is on (the default)', () => {
    const attempts: number[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a#', undefined, transient);
      const result = source.pipe(
        retryBackoff({ maxRetries: 1, backoff: fixed3, onRetry: ({ attempt }) => attempts.push(attempt) }),
        take(3),
      );
      expectObservable(result).toBe('a---a---(a|)');
    });
    expect(attempts).to.deep.equal([1, 1]);
  });

  it('keeps counting across values when resetOnSuccess is off', () => {
    const attempts: number[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a#', undefined, transient);
      const backoff = { strategy: 'linear', baseMs: 2, maxMs: 100, jitter: 'none' } as const;
      const result = source.pipe(
        retryBackoff({ maxRetries: 2, backoff, resetOnSuccess: false, onRetry: ({ attempt }) => attempts.push(attempt) }),
      );
      // Waits 2 then 4: tries at 0, 3, 8.
      expectObservable(result).toBe('a--a----a#', undefined, transient);
    });
    expect(attempts).to.deep.equal([1, 2]);
  });

  it('stops waiting and never resubscribes when unsubscribed during a wait', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a#', undefined, transient);
      const unsub = '      ---!';
      const expected = '   -a--';
      const backoff = { ...fixed3, baseMs: 10 };

      expectObservable(source.pipe(retryBackoff({ maxRetries: 3, backoff })), unsub).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('unsubscribes from the source when unsubscribed mid-flight', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#', undefined, transient);
      const unsub = '      --------!';
      const expected = '   -a-----a-';

      expectObservable(source.pipe(retryBackoff({ maxRetries: 3, backoff: fixed3 })), unsub).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(['^--!', '------^-!']);
    });
  });

  it('waits at least an AppError’s retryAfterSeconds', () => {
    const limited = new AppError('rate_limited', 'slow down', { retryAfterSeconds: 1 });
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, limited);
      const backoff = { ...fixed3, maxMs: 5_000 };

      expectObservable(source.pipe(retryBackoff({ maxRetries: 1, backoff }))).toBe('- 1000ms -#', undefined, limited);
      expectSubscriptions(source.subscriptions).toBe(['^!', '- 1000ms ^!']);
    });
  });

  it('passes on an error whose retryAfterSeconds exceeds the cap, so JetStream can hold it instead', () => {
    const limited = new AppError('rate_limited', 'slow down', { retryAfterSeconds: 600 });
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, limited);
      expectObservable(source.pipe(retryBackoff({ maxRetries: 3, backoff: fixed3 }))).toBe('-#', undefined, limited);
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('ignores retryAfterSeconds when respectRetryAfter is off', () => {
    const limited = new AppError('rate_limited', 'slow down', { retryAfterSeconds: 600 });
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, limited);
      const result = source.pipe(retryBackoff({ maxRetries: 1, backoff: fixed3, respectRetryAfter: false }));
      expectObservable(result).toBe('-----#', undefined, limited);
      expectSubscriptions(source.subscriptions).toBe(['^!', '----^!']);
    });
  });

  it('forwards an error thrown by the onRetry hook instead of retrying', () => {
    const hookError = new Error('metrics exploded');
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, transient);
      const onRetry = (): void => {
        throw hookError;
      };
      expectObservable(source.pipe(retryBackoff({ maxRetries: 3, backoff: fixed3, onRetry }))).toBe('-#', undefined, hookError);
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('keeps retry state per subscription', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, transient);
      const shared = source.pipe(retryBackoff({ maxRetries: 1, backoff: fixed3 }));
      expectObservable(shared).toBe('-----#', undefined, transient);
      expectObservable(shared).toBe('-----#', undefined, transient);
      expectSubscriptions(source.subscriptions).toBe(['^!', '^!', '----^!', '----^!']);
    });
  });

  it('uses asyncScheduler by default', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('-#', undefined, transient);
      const backoff = { strategy: 'fixed', baseMs: 5, maxMs: 5, jitter: 'none' } as const;
      expectObservable(source.pipe(retryBackoff({ maxRetries: 1, backoff }))).toBe('-------#', undefined, transient);
    });
  });

  it('rejects a negative or fractional maxRetries and a broken schedule at creation', () => {
    expect(() => retryBackoff({ maxRetries: -1 })).to.throw(RangeError, /maxRetries/);
    expect(() => retryBackoff({ maxRetries: 1.5 })).to.throw(RangeError, /maxRetries/);
    expect(() => retryBackoff({ backoff: { baseMs: -5 } })).to.throw(RangeError, /baseMs/);
    expect(() => retryBackoff({ maxRetries: Infinity })).not.to.throw();
  });
});
