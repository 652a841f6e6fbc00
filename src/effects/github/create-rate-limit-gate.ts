/** Response headers as octokit exposes them: lower-case names. */
export type ResponseHeaders = Readonly<Record<string, string | number | undefined>>;

/** What one response said about the rate limit. */
export interface RateLimitObservation {
  remaining: number | undefined;
  /** Epoch milliseconds at which the window resets. */
  resetAtMs: number | undefined;
}

export interface RateLimitGateOptions {
  /** Clock in epoch milliseconds; injected so tests control time. */
  now: () => number;
}

/**
 * Remembers, per rate-limit bucket (a token, or an App installation: each has its own limit),
 * until when GitHub told us to stop calling. Blocks only lengthen until they expire: a response
 * that raced a block does not lift it early.
 */
export interface RateLimitGate {
  /** Reads `x-ratelimit-remaining` / `x-ratelimit-reset`; remaining 0 blocks until the reset. */
  observe(bucket: string, headers: ResponseHeaders): RateLimitObservation;
  /** Blocks the bucket until `untilMs` (epoch milliseconds). */
  block(bucket: string, untilMs: number): void;
  /** Whole seconds to wait before calling again (at least 1), or undefined when calls may go. */
  waitSeconds(bucket: string): number | undefined;
}

/** Creates an in-memory {@link RateLimitGate}; entries are dropped once they expire. */
export function createRateLimitGate(options: RateLimitGateOptions): RateLimitGate {
  const blockedUntil = new Map<string, number>();

  const block = (bucket: string, untilMs: number): void => {
    if (untilMs <= options.now()) return;
    blockedUntil.set(bucket, Math.max(blockedUntil.get(bucket) ?? 0, untilMs));
  };

  return {
    observe(bucket, headers) {
      const remaining = headerNumber(headers['x-ratelimit-remaining']);
      const resetSeconds = headerNumber(headers['x-ratelimit-reset']);
      const resetAtMs = resetSeconds === undefined ? undefined : resetSeconds * 1000;
      if (remaining === 0 && resetAtMs !== undefined) block(bucket, resetAtMs);
      return { remaining, resetAtMs };
    },
    block,
    waitSeconds(bucket) {
      const until = blockedUntil.get(bucket);
      if (until === undefined) return undefined;
      const waitMs = until - options.now();
      if (waitMs <= 0) {
        blockedUntil.delete(bucket);
        return undefined;
      }
      return Math.max(1, Math.ceil(waitMs / 1000));
    },
  };
}

/** A numeric header value, or undefined when absent or not a number. */
export function headerNumber(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}
