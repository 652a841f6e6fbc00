import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { AppError } from '../errors/app-error.js';
import type { CircuitBreaker } from './circuit-breaker.js';

/**
 * Guards one call with a shared breaker. Use it per call:
 * `defer(() => call()).pipe(withCircuitBreaker(breaker))`. Each subscription asks the breaker for
 * a pass; when refused it fails at once, without subscribing to the source, with
 * `AppError('circuit_open')` carrying `retryAfterSeconds` (at least 1) for a delayed nak.
 * Otherwise completion, or unsubscribing after a value, records a success, and an error is
 * handed to `recordFailure`; unsubscribing before any value gives the pass back unused.
 */
export function withCircuitBreaker<T>(breaker: CircuitBreaker): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      if (!breaker.tryAcquire()) {
        const retryAfterSeconds = Math.max(1, Math.ceil(breaker.retryAfterMs() / 1000));
        subscriber.error(
          new AppError('circuit_open', `circuit breaker '${breaker.name}' is ${breaker.state}`, {
            retryAfterSeconds,
            details: { breaker: breaker.name, state: breaker.state },
          }),
        );
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
          subscriber.error(error);
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
