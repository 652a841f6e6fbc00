import { defer, lastValueFrom } from 'rxjs';
import type { CircuitBreaker } from '../operators/circuit-breaker.js';
import { withCircuitBreaker } from '../operators/with-circuit-breaker.js';

/** Runs one outbound call through a dependency's shared breaker (fails fast while it is open). */
export function guardedCall<T>(breaker: CircuitBreaker, call: () => Promise<T>): Promise<T> {
  return lastValueFrom(defer(call).pipe(withCircuitBreaker(breaker)));
}
