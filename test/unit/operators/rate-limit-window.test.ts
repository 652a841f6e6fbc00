import { expect } from 'chai';
import type { SchedulerAction, SchedulerLike } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { marbleScheduler } from '../../helpers/marble-scheduler.js';
import { rateLimitWindow, type RateLimitedInfo } from '../../../src/operators/rate-limit-window.js';

describe('rateLimitWindow', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = marbleScheduler();
  });

  it('passes values through untouched while under the limit', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c|');
      const subs = '       ^----!';
      const expected = '   a-b-c|';

      expectObservable(source.pipe(rateLimitWindow({ limit: 3, windowMs: 10 }))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('delays values over the limit until the window admits them, in order, and completes after the last', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('abcd|');
      const subs = '       ^---!';
      // a and b fill the 5 ms window; c waits for a to leave it (5), d for b (6).
      const expected = '   ab---c(d|)';

      const result = source.pipe(rateLimitWindow({ limit: 2, windowMs: 5, scheduler: testScheduler }));
      expectObservable(result).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('limits each key separately, so one busy key does not hold up another', () => {
    const values = { a: 'x1', b: 'x2', c: 'y1', d: 'x3' };
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('abcd|', values);
      const expected = '   a-c-b---(d|)';

      const result = source.pipe(rateLimitWindow({ limit: 1, windowMs: 4, key: (v: string) => v.slice(0, 1) }));
      expectObservable(result).toBe(expected, values);
    });
  });

  it('tells onLimited about each value that has to wait, with its key and queue length', () => {
    const values = { a: 'x1', b: 'x2', c: 'y1', d: 'x3' };
    const limited: RateLimitedInfo<string>[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('abcd|', values);
      const result = source.pipe(
        rateLimitWindow({ limit: 1, windowMs: 4, key: (v: string) => v.slice(0, 1), onLimited: (info) => limited.push(info) }),
      );
      expectObservable(result).toBe('a-c-b---(d|)', values);
    });
    expect(limited).to.deep.equal([
      { value: 'x2', key: 'x', queued: 1 },
      { value: 'x3', key: 'x', queued: 2 },
    ]);
  });

  it('spreads a burst evenly over windows without dropping any value', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('(abcdef|)');
      const expected = '   (ab)------(cd)------(ef|)';

      expectObservable(source.pipe(rateLimitWindow({ limit: 2, windowMs: 10 }))).toBe(expected);
    });
  });

  it('forwards a source error at once, discarding the values still waiting', () => {
    const error = new Error('consumer closed');
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('abc#', undefined, error);
      const subs = '       ^--!';
      const expected = '   a--#';

      expectObservable(source.pipe(rateLimitWindow({ limit: 1, windowMs: 10 }))).toBe(expected, undefined, error);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('emits nothing more and cancels its timers when unsubscribed while values wait', () => {
    const timersRun: number[] = [];
    // Records every timer that fires, to prove the drain of b (due at 5) was cancelled.
    const watched: SchedulerLike = {
      now: () => testScheduler.now(),
      schedule: (work, delay, state) =>
        testScheduler.schedule(
          function (this: SchedulerAction<unknown>, s) {
            timersRun.push(testScheduler.now());
            (work as (this: SchedulerAction<unknown>, s: unknown) => void).call(this, s);
          },
          delay,
          state,
        ),
    };
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('ab-c-----|');
      const unsub = '      ---!';
      const expected = '   a---';

      expectObservable(source.pipe(rateLimitWindow({ limit: 1, windowMs: 5, scheduler: watched })), unsub).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
    expect(timersRun).to.deep.equal([]);
  });

  it('keeps its window per subscription', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('ab|');
      const limited = source.pipe(rateLimitWindow({ limit: 1, windowMs: 3 }));
      expectObservable(limited).toBe('a--(b|)');
      expectObservable(limited).toBe('a--(b|)');
    });
  });

  it('completes at once when the source completes with nothing waiting', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('|').pipe(rateLimitWindow({ limit: 1, windowMs: 5 }))).toBe('|');
    });
  });

  it('forwards an error thrown by the key function', () => {
    const error = new Error('no key');
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b|');
      const key = (value: string): string => {
        if (value === 'b') throw error;
        return value;
      };
      expectObservable(source.pipe(rateLimitWindow({ limit: 5, windowMs: 5, key }))).toBe('a-#', undefined, error);
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('rejects a zero, negative or fractional limit and a non-positive window at creation', () => {
    expect(() => rateLimitWindow({ limit: 0, windowMs: 1_000 })).to.throw(RangeError, /limit/);
    expect(() => rateLimitWindow({ limit: -3, windowMs: 1_000 })).to.throw(RangeError, /limit/);
    expect(() => rateLimitWindow({ limit: 1.5, windowMs: 1_000 })).to.throw(RangeError, /limit/);
    expect(() => rateLimitWindow({ limit: 1, windowMs: 0 })).to.throw(RangeError, /windowMs/);
  });
});
