import { defer, lastValueFrom } from 'rxjs';
import { AppError } from '../errors/app-error.js';
import { describeError } from '../errors/classify.js';
import type { CircuitBreaker } from '../operators/circuit-breaker.js';
import { withCircuitBreaker } from '../operators/with-circuit-breaker.js';

/**
 * Runs one outbound call through a dependency's shared breaker (fails fast while it is open).
 * A failure that opens the breaker comes back as `circuit_open` with the cool-down as its wait,
 * so the message returns when the breaker will probe again, not after an unrelated backoff.
 */
export async function guardedCall<T>(breaker: CircuitBreaker, call: () => Promise<T>): Promise<T> {
  try {
    return await lastValueFrom(defer(call).pipe(withCircuitBreaker(breaker)));
  } catch (error) {
    if (breaker.state === 'open' && !(error instanceof AppError && error.code === 'circuit_open')) {
      throw new AppError('circuit_open', `${describeError(error)}; the ${breaker.name} breaker is open`, {
        cause: error,
        retryAfterSeconds: Math.max(1, breaker.retryAfterMs() / 1000),
      });
    }
    throw error;
  }
}
