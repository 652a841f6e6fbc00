import { isDatabaseUnavailable } from '../effects/db/is-database-unavailable.js';
import { AppError } from '../errors/app-error.js';
import { describeError } from '../errors/classify.js';
import type { CircuitBreaker } from '../operators/circuit-breaker.js';

/**
 * Runs one unit of database work through the shared database breaker: fails fast while it is
 * open, counts only "PostgreSQL is not there" errors as failures (a constraint violation is an
 * answer), and turns an outage into `circuit_open` with the cool-down as its wait, so the message
 * comes back when the breaker probes again rather than after an unrelated backoff.
 */
export async function underDatabaseBreaker<T>(breaker: CircuitBreaker, work: () => Promise<T>): Promise<T> {
  if (!breaker.tryAcquire()) {
    throw new AppError('circuit_open', 'the database breaker is open', {
      retryAfterSeconds: Math.max(1, breaker.retryAfterMs() / 1000),
    });
  }
  try {
    const result = await work();
    breaker.recordSuccess();
    return result;
  } catch (error) {
    if (!isDatabaseUnavailable(error)) {
      breaker.recordSuccess();
      throw error;
    }
    breaker.recordFailure(error);
    throw new AppError('circuit_open', `the database is unavailable: ${describeError(error)}`, {
      cause: error,
      retryAfterSeconds: Math.max(1, breaker.retryAfterMs() / 1000),
    });
  }
}
