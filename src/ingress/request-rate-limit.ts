import type { Metrics } from '../observability/metrics.js';
import { createWindowLimiter } from '../operators/window-limiter.js';

export interface RequestRateLimitOptions {
  /** Requests admitted per source address per window. */
  perAddress: number;
  /** Requests admitted in total per window. */
  global: number;
  windowMs: number;
  metrics: Metrics;
  now?: () => number;
}

export interface RateLimitRefusal {
  scope: 'address' | 'global';
  retryAfterSeconds: number;
}

/** The `scope` values this limit counts in orchestrator_rate_limited_total. */
export const REQUEST_RATE_LIMIT_SCOPES = ['webhook_address', 'webhook_global'] as const;

export interface RequestRateLimit {
  /** Takes one admission for `address`; a refusal says which limit and for how long. */
  check(address: string): RateLimitRefusal | undefined;
}

/**
 * Flood protection for the webhook endpoint. GitHub delivers from a handful of addresses, so the
 * per-address limit must admit real bursts (defaults: 5,000/s per address, 20,000/s overall);
 * it exists to stop floods, not to shape legitimate traffic.
 */
export function createRequestRateLimit(options: RequestRateLimitOptions): RequestRateLimit {
  const perAddress = createWindowLimiter({ limit: options.perAddress, windowMs: options.windowMs, now: options.now });
  const global = createWindowLimiter({ limit: options.global, windowMs: options.windowMs, now: options.now });
  const refuse = (scope: RateLimitRefusal['scope'], retryAfterMs: number): RateLimitRefusal => {
    options.metrics.rateLimited.inc({ scope: `webhook_${scope}` });
    return { scope, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
  };
  return {
    check(address) {
      const byAddress = perAddress.tryAcquire(address);
      if (!byAddress.allowed) return refuse('address', byAddress.retryAfterMs);
      const overall = global.tryAcquire();
      if (!overall.allowed) return refuse('global', overall.retryAfterMs);
      return undefined;
    },
  };
}
