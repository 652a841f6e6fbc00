import type { JsMsg } from '@nats-io/jetstream';
import type { Settlement } from '../bus/settle-message.js';
import { isAppError } from '../errors/app-error.js';
import { describeError, isRetryable } from '../errors/classify.js';
import { backoffDelay, type BackoffConfig } from '../operators/backoff-delay.js';

export interface FailurePolicy {
  /**
   * The consumer's max_deliver: the last delivery that fails goes to the DLQ. The runner reads
   * it from each durable on the server; the default is only for a consumer that sets none.
   */
  maxDeliver: number;
  /** Delay between deliveries when the error names none. */
  redeliveryBackoff: BackoffConfig;
}

const WAIT_CODES = new Set(['rate_limited', 'circuit_open', 'deferred']);

export const DEFAULT_FAILURE_POLICY: FailurePolicy = {
  maxDeliver: 20,
  redeliveryBackoff: { strategy: 'exponential', baseMs: 2000, maxMs: 5 * 60_000, jitter: 'full' },
};

/**
 * What to do with a message whose handler failed after its in-process retries: a permanent
 * error, or the last allowed delivery, is dead (→ DLQ); anything else waits in JetStream for a
 * delay that honours the error's Retry-After (rate limits, open breakers) or the backoff — and
 * never longer than `capMs` when given (a dependency's outage: see outageWaitCapMs).
 */
export function failureSettlement(message: JsMsg, error: unknown, policy: FailurePolicy, capMs?: number): Settlement {
  const settlement = uncappedSettlement(message, error, policy);
  if (settlement.kind !== 'retry' || capMs === undefined) return settlement;
  return { ...settlement, delayMs: Math.min(settlement.delayMs, Math.max(capMs, 50)) };
}

function uncappedSettlement(message: JsMsg, error: unknown, policy: FailurePolicy): Settlement {
  const reason = describeError(error);
  if (!isRetryable(error)) return { kind: 'dead', reason };
  const delivery = message.info.deliveryCount;
  if (delivery >= policy.maxDeliver) {
    return { kind: 'dead', reason: `gave up after ${delivery} deliveries: ${reason}` };
  }
  const hinted = isAppError(error) && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : undefined;
  // Told when to come back (rate limit, open breaker, coalescing window): come back then.
  // A fault with no hint backs off exponentially with jitter.
  if (isAppError(error) && WAIT_CODES.has(error.code) && hinted !== undefined) {
    return { kind: 'retry', delayMs: Math.max(hinted, 50), reason };
  }
  const backoff = backoffDelay(delivery, policy.redeliveryBackoff);
  return { kind: 'retry', delayMs: Math.max(hinted ?? 0, backoff, 250), reason };
}
