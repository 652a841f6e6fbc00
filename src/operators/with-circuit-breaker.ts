import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { isAppError } from '../errors/app-error.js';
import { circuitOpenError } from '../errors/circuit-open-error.js';
import type { CircuitBreaker } from './circuit-breaker.js';

/**
 * Guards one call with a shared breaker. Use it per call:
 * `defer(() => call()).pipe(withCircuitBreaker(breaker))`. Each subscription asks the breaker for
 * a pass; when refused it fails at once, without subscribing to the source, with
 * {@link circuitOpenError} carrying `retryAfterSeconds` (at least 1) for a delayed nak.
 * Otherwise completion, or unsubscribing after a value, records a success, and an error is
 * handed to `recordFailure` (the breaker's `isFailure` predicate decides whether it counts); an
 * error after which the breaker is open comes out as that same `circuit_open` error with the
 * original as its cause. Unsubscribing before any value gives the pass back unused.
 */
export function withCircuitBreaker<T>(breaker: CircuitBreaker): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      if (!breaker.tryAcquire()) {
        subscriber.error(circuitOpenError(breaker));
        return undefined;
      }

      let settled = false;
      let emitted = false;
      const subscription = source.subscribe({
        next: (value) => {
          emitted = true;
          subscriber.next(value);
        },
        error: (error: unknown) => {
          settled = true;
          breaker.recordFailure(error);
          // The failure that opened the breaker already says "wait for the cool-down".
          const opened = breaker.state === 'open' && !(isAppError(error) && error.code === 'circuit_open');
          subscriber.error(opened ? circuitOpenError(breaker, error) : error);
        },
        complete: () => {
          settled = true;
          breaker.recordSuccess();
          subscriber.complete();
        },
      });

      return () => {
        subscription.unsubscribe();
        if (settled) return;
        settled = true;
        // A consumer that stops after a value (take(1), first()) got its answer: a success.
        if (emitted) breaker.recordSuccess();
        else breaker.release();
      };
    });
}
