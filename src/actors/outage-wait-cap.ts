import { isDatabaseUnavailable } from '../effects/db/is-database-unavailable.js';
import { isAppError } from '../errors/app-error.js';
import type { CircuitBreaker } from '../operators/circuit-breaker.js';

/**
 * The longest a message that failed because a dependency is down may wait in JetStream: until
 * that dependency's breaker next lets a call through — the cool-down left while it is open, a
 * whole cool-down while it is closed or probing (this very failure may open it). So once the
 * dependency is back and its breaker closes, the messages nak'd during the outage are offered
 * again within a cool-down instead of waiting out an exponential backoff of minutes. While the
 * breaker stays open the actor pulls nothing, so a short wait spends no delivery attempts.
 * Undefined when no breaker counts the error (a bug, bad data: those keep their backoff).
 */
export function outageWaitCapMs(error: unknown, breakers: readonly CircuitBreaker[]): number | undefined {
  // Only errors that name a dependency's trouble: an unknown error is not evidence of an outage.
  const outage = isAppError(error) || isDatabaseUnavailable(error);
  let cap: number | undefined;
  for (const breaker of breakers) {
    const refusedBy = isAppError(error) && error.code === 'circuit_open' && error.details?.breaker === breaker.name;
    if (!refusedBy && !(outage && breaker.isFailure(error))) continue;
    // Never below a second (or the whole cool-down, when shorter): a message back at once from an
    // about-to-probe breaker would spend its deliveries for nothing.
    const wait = breaker.state === 'open' ? Math.max(breaker.retryAfterMs(), Math.min(1000, breaker.coolDownMs)) : breaker.coolDownMs;
    cap = cap === undefined ? wait : Math.min(cap, wait);
  }
  return cap;
}
