import { isDatabaseUnavailable } from '../effects/db/is-database-unavailable.js';
import { isAppError } from '../errors/app-error.js';
import { isRetryable } from '../errors/classify.js';
import { createCircuitBreaker, type CircuitBreaker } from '../operators/circuit-breaker.js';

export interface DependencyBreakers {
  database: CircuitBreaker;
  github: CircuitBreaker;
  codegen: CircuitBreaker;
}

// Being told to wait (rate limits, our own deferrals) is the dependency working as designed, not failing.
const NOT_A_FAULT = new Set(['rate_limited', 'circuit_open', 'deferred']);
const isOutboundFault = (error: unknown) => isRetryable(error) && !(isAppError(error) && NOT_A_FAULT.has(error.code));

/**
 * One breaker per dependency, shared by every actor that uses it, each with the predicate that
 * says what counts as that dependency failing: for PostgreSQL only "it is not there" (a constraint
 * violation or bad data is an answer); for GitHub and Codegen any retryable fault but being told
 * to wait.
 */
export function createDependencyBreakers(options: { coolDownMs?: number; failureThreshold?: number } = {}): DependencyBreakers {
  const make = (name: string, coolDownMs: number, failureThreshold: number, isFailure: (error: unknown) => boolean) =>
    createCircuitBreaker({
      name,
      coolDownMs: options.coolDownMs ?? coolDownMs,
      failureThreshold: options.failureThreshold ?? failureThreshold,
      isFailure,
    });
  return {
    database: make('database', 5000, 3, isDatabaseUnavailable),
    github: make('github', 30_000, 5, isOutboundFault),
    codegen: make('codegen', 30_000, 5, isOutboundFault),
  };
}
