import {
  Observable,
  asyncScheduler,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { createWindowLimiter } from './window-limiter.js';

/** What `onLimited` is told when a value has to wait. */
export interface RateLimitedInfo<T> {
  value: T;
  /** The value's key; `''` when the limit is global. */
  key: string;
  /** Values of this key now waiting, this one included. */
  queued: number;
}

/** Options of {@link rateLimitWindow}. */
export interface RateLimitWindowConfig<T> {
  /** Emissions allowed per key in any window of `windowMs`. A positive integer. */
  limit: number;
  windowMs: number;
  /** Groups values that share a limit. Default: one global limit. */
  key?: (value: T) => string;
  /** Where windows are timed. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** Called once for each value that has to wait: the hook for the rate-limited metric. */
  onLimited?: (info: RateLimitedInfo<T>) => void;
  /** Passed to the window limiter; see `createWindowLimiter`. */
  resolutionMs?: number;
  /** Passed to the window limiter; see `createWindowLimiter`. */
  maxKeys?: number;
}

/**
 * Lets at most `limit` values through per sliding window of `windowMs` (per key when `key` is
 * given), DELAYING the rest, never dropping them, in their original order within a key; keys do
 * not hold each other up. The source's completion is forwarded once every waiting value has been
 * emitted; its error is forwarded at once and waiting values are discarded (they are unacked
 * JetStream messages, which will be redelivered).
 *
 * The waiting queue holds whatever the source pushes and is not limited here: put this after a
 * source that bounds its own in-flight count (a JetStream pull consumer with `max_ack_pending`),
 * as the actors do, and memory stays bounded by that.
 *
 * Throws a RangeError at creation for a non-positive or non-integer `limit` or `windowMs <= 0`.
 */
export function rateLimitWindow<T>(config: RateLimitWindowConfig<T>): MonoTypeOperatorFunction<T> {
  const scheduler = config.scheduler ?? asyncScheduler;
  const limiterConfig = {
    limit: config.limit,
    windowMs: config.windowMs,
    now: () => scheduler.now(),
    ...(config.resolutionMs === undefined ? {} : { resolutionMs: config.resolutionMs }),
    ...(config.maxKeys === undefined ? {} : { maxKeys: config.maxKeys }),
  };
  // Fail at creation, not on the first value: the limiter validates its config.
  createWindowLimiter(limiterConfig);
  const keyOf = config.key ?? (() => '');

  return (source) =>
    new Observable<T>((subscriber) => {
      const limiter = createWindowLimiter(limiterConfig);
      const queues = new Map<string, T[]>();
      const timers = new Map<string, Subscription>();
      let sourceDone = false;

      const completeIfDrained = (): void => {
        if (sourceDone && queues.size === 0) subscriber.complete();
      };

      const drain = (key: string): void => {
        timers.delete(key);
        const queue = queues.get(key);
        while (queue !== undefined && queue.length > 0 && !subscriber.closed) {
          const decision = limiter.tryAcquire(key);
          if (!decision.allowed) {
            timers.set(key, scheduler.schedule(() => drain(key), decision.retryAfterMs));
            return;
          }
          // Shift before emitting: a synchronous re-entrant push must queue behind the rest.
          const value = queue.shift() as T;
          if (queue.length === 0) queues.delete(key);
          subscriber.next(value);
        }
        completeIfDrained();
      };

      const subscription = source.subscribe({
        next: (value) => {
          let key: string;
          try {
            key = keyOf(value);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          const waiting = queues.get(key);
          if (waiting === undefined) {
            const decision = limiter.tryAcquire(key);
            if (decision.allowed) {
              subscriber.next(value);
              return;
            }
            queues.set(key, [value]);
            timers.set(key, scheduler.schedule(() => drain(key), decision.retryAfterMs));
          } else {
            waiting.push(value);
          }
          try {
            config.onLimited?.({ value, key, queued: queues.get(key)?.length ?? 1 });
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          completeIfDrained();
        },
      });

      return () => {
        subscription.unsubscribe();
        for (const timer of timers.values()) timer.unsubscribe();
        timers.clear();
        queues.clear();
      };
    });
}
