import type { Subscription } from 'rxjs';
import type { CircuitBreaker } from '../operators/circuit-breaker.js';
import type { Logger } from './logger.js';
import { BREAKER_STATE_VALUE, type Metrics } from './metrics.js';

/** Mirrors a breaker's state into `orchestrator_circuit_breaker_state` and logs each change once. */
export function watchBreaker(breaker: CircuitBreaker, metrics: Metrics, logger: Logger): Subscription {
  let first = true;
  return breaker.state$.subscribe((state) => {
    metrics.breakerState.set({ dependency: breaker.name }, BREAKER_STATE_VALUE[state]);
    if (first) {
      first = false;
      return;
    }
    const log = { dependency: breaker.name, state };
    if (state === 'open') logger.warn(log, 'circuit breaker opened: calls fail fast, messages wait in JetStream');
    else logger.info(log, `circuit breaker ${state === 'closed' ? 'closed: calls resume' : 'half-open: probing'}`);
  });
}
