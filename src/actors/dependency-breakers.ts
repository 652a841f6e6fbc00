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
const isFault = (error: unknown) => isRetryable(error) && !(isAppError(error) && NOT_A_FAULT.has(error.code));

/** One breaker per dependency, shared by every actor that calls it. */
export function createDependencyBreakers(options: { coolDownMs?: number; failureThreshold?: number } = {}): DependencyBreakers {
  const make = (name: string, coolDownMs: number, failureThreshold: number) =>
    createCircuitBreaker({ name, coolDownMs: options.coolDownMs ?? coolDownMs, failureThreshold: options.failureThreshold ?? failureThreshold, isFailure: isFault });
  return {
    database: make('database', 5000, 3),
    github: make('github', 30_000, 5),
    codegen: make('codegen', 30_000, 5),
  };
}
