import { AppError } from './app-error.js';

/** What the error needs to know of a breaker (a structural view, so errors/ imports nothing else). */
export interface BreakerView {
  readonly name: string;
  readonly state: string;
  retryAfterMs(): number;
}

/**
 * The one "circuit open" error: code `circuit_open`, the breaker's name and state, and as
 * `retryAfterSeconds` (at least 1) the cool-down left, so a nak brings the message back when the
 * breaker is about to probe rather than after an unrelated backoff. `cause` is the failure that
 * opened it, when there is one.
 */
export function circuitOpenError(breaker: BreakerView, cause?: unknown): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(breaker.retryAfterMs() / 1000));
  const why = cause instanceof Error ? `: ${cause.message}` : '';
  return new AppError('circuit_open', `circuit breaker '${breaker.name}' is ${breaker.state}${why}`, {
    retryAfterSeconds,
    details: { breaker: breaker.name, state: breaker.state },
    ...(cause === undefined ? {} : { cause }),
  });
}
