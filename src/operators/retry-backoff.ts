import {
  Observable,
  asyncScheduler,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { isAppError } from '../errors/app-error.js';
import { isRetryable } from '../errors/classify.js';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffConfig } from './backoff-delay.js';

/** What `onRetry` is told before each wait. */
export interface RetryInfo {
  /** 1-based number of the retry about to be scheduled. */
  attempt: number;
  delayMs: number;
  error: unknown;
}

/** Options of {@link retryBackoff}; every field has a default. */
export interface RetryBackoffConfig {
  /** Resubscriptions allowed after the first failure. Default 3; 0 disables retrying. */
  maxRetries?: number;
  /** Merged over {@link DEFAULT_BACKOFF} (exponential, 1 s base, 60 s cap, full jitter). */
  backoff?: Partial<BackoffConfig>;
  /** Which errors are worth another try. Default {@link isRetryable}. */
  shouldRetry?: (error: unknown) => boolean;
  /** Called once per scheduled retry, before the wait: the hook for metrics and logs. */
  onRetry?: (info: RetryInfo) => void;
  /** Source of jitter; inject a constant for deterministic tests. Default `Math.random`. */
  random?: () => number;
  /** Start counting attempts from 1 again after the source emits a value. Default true. */
  resetOnSuccess?: boolean;
  /**
   * Honour an AppError's `retryAfterSeconds` (a 429's Retry-After, an open breaker's cool-down)
   * as the minimum wait. If that wait exceeds `backoff.maxMs` the error is passed on instead of
   * retried, so the caller can nak the message and let JetStream hold it rather than memory.
   * Default true.
   */
  respectRetryAfter?: boolean;
  /** Where waits are timed. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Resubscribes to the source when it errors, up to `maxRetries` times, waiting
 * `backoffDelay(attempt)` on the scheduler between tries. Errors that `shouldRetry` rejects, and
 * the error after the last retry, pass straight through. Throws a RangeError at creation for a
 * `maxRetries` that is negative or not an integer (Infinity is allowed).
 */
export function retryBackoff<T>(config: RetryBackoffConfig = {}): MonoTypeOperatorFunction<T> {
  const maxRetries = config.maxRetries ?? 3;
  if (!(maxRetries === Infinity || (Number.isInteger(maxRetries) && maxRetries >= 0))) {
    throw new RangeError(`retryBackoff: maxRetries must be an integer >= 0, got ${maxRetries}`);
  }
  const backoff: BackoffConfig = { ...DEFAULT_BACKOFF, ...config.backoff };
  // Validate the schedule now rather than on the first failure, minutes into production.
  backoffDelay(1, backoff, () => 0);
  const shouldRetry = config.shouldRetry ?? isRetryable;
  const random = config.random ?? Math.random;
  const resetOnSuccess = config.resetOnSuccess ?? true;
  const respectRetryAfter = config.respectRetryAfter ?? true;
  const scheduler = config.scheduler ?? asyncScheduler;

  /** The wait before `attempt`, or null when the error must not be retried in process. */
  const delayFor = (attempt: number, error: unknown): number | null => {
    if (attempt > maxRetries || !shouldRetry(error)) return null;
    const delayMs = backoffDelay(attempt, backoff, random);
    if (!respectRetryAfter || !isAppError(error) || error.retryAfterSeconds === undefined) {
      return delayMs;
    }
    const retryAfterMs = Math.ceil(error.retryAfterSeconds * 1000);
    if (retryAfterMs > backoff.maxMs) return null;
    return Math.max(delayMs, retryAfterMs);
  };

  return (source) =>
    new Observable<T>((subscriber) => {
      let attempt = 0;
      let inner: Subscription | undefined;
      let wait: Subscription | undefined;

      const subscribeToSource = (): void => {
        inner = source.subscribe({
          next: (value) => {
            if (resetOnSuccess) attempt = 0;
            subscriber.next(value);
          },
          error: (error: unknown) => {
            let delayMs: number | null;
            try {
              delayMs = delayFor(attempt + 1, error);
              if (delayMs !== null) config.onRetry?.({ attempt: attempt + 1, delayMs, error });
            } catch (hookError) {
              // A throwing predicate or hook is a bug to surface, not a reason to retry.
              subscriber.error(hookError);
              return;
            }
            if (delayMs === null) {
              subscriber.error(error);
              return;
            }
            attempt += 1;
            // The failed inner subscription tears itself down after this handler returns; the
            // wait is always asynchronous on the scheduler, so it never overlaps the next one.
            wait = scheduler.schedule(() => {
              wait = undefined;
              if (!subscriber.closed) subscribeToSource();
            }, delayMs);
          },
          complete: () => subscriber.complete(),
        });
      };

      subscribeToSource();
      return () => {
        wait?.unsubscribe();
        inner?.unsubscribe();
      };
    });
}
