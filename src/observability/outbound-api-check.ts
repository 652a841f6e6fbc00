import type { HealthCheck } from './health-check.js';
import type { CircuitBreaker } from '../operators/circuit-breaker.js';

/**
 * Health of an outbound API from what we already know — its breaker and the last call's outcome —
 * never from a call of its own: a health request makes no outbound call, so a probe neither
 * spends a third party's rate limit nor hangs on it.
 */
export function outboundApiCheck(options: {
  name: string;
  configured: boolean;
  breaker: CircuitBreaker;
  lastCall(): { at: Date | number; outcome: string } | undefined;
}): HealthCheck {
  return {
    name: options.name,
    critical: false,
    check() {
      const last = options.lastCall();
      const lastCall = last ? { at: new Date(last.at).toISOString(), outcome: last.outcome } : null;
      if (!options.configured) return { status: 'not_configured', breaker: options.breaker.state, last_call: lastCall };
      const state = options.breaker.state;
      const status = state === 'open' ? 'down' : state === 'half_open' ? 'degraded' : 'up';
      return { status, breaker: state, last_call: lastCall };
    },
  };
}
