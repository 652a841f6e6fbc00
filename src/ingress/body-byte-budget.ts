import { AppError } from '../errors/app-error.js';

/** Options of {@link createBodyByteBudget}. */
export interface BodyByteBudgetOptions {
  /** Most body bytes all requests in flight may hold at once (WEBHOOK_INFLIGHT_BYTES_MAX). */
  maxBytes: number;
  /** Retry-After of the 503 when the budget is spent. Default 2 s. */
  retryAfterSeconds?: number;
  /** Told the bytes in use after every change (a gauge). */
  onChange?: (inUse: number) => void;
}

/** What one request holds of a {@link BodyByteBudget}. */
export interface BodyByteAccount {
  /** Bytes this account holds now. */
  readonly held: number;
  /**
   * Takes `bytes` more for this request, or throws 503 `unavailable` with Retry-After (taking
   * nothing) when that would exceed what is left; also after {@link release}.
   */
  take(bytes: number): void;
  /** Gives back everything this account holds and closes it. Idempotent. */
  release(): void;
}

/** A shared count of request-body bytes in memory; see {@link createBodyByteBudget}. */
export interface BodyByteBudget {
  readonly maxBytes: number;
  /** Bytes held by all open accounts. */
  inUse(): number;
  /** An account for one request; release it when the request ends, however it ends. */
  open(): BodyByteAccount;
}

/**
 * Bounds the memory that request bodies in flight can take: each request takes its declared
 * length (or each chunk as it streams) before it is buffered, and a request that would go over
 * is refused 503 `unavailable` + Retry-After at once instead of being read — the sender
 * redelivers later, and the process stays within a size it can be given (README, "Memory").
 * A single body up to `maxBytes` is always admitted when nothing else is in flight.
 */
export function createBodyByteBudget(options: BodyByteBudgetOptions): BodyByteBudget {
  const { maxBytes, onChange } = options;
  const retryAfterSeconds = options.retryAfterSeconds ?? 2;
  let inUse = 0;
  const change = (delta: number) => {
    inUse += delta;
    onChange?.(inUse);
  };
  return {
    maxBytes,
    inUse: () => inUse,
    open(): BodyByteAccount {
      let held = 0;
      let open = true;
      return {
        get held() {
          return held;
        },
        take(bytes) {
          if (!open || inUse + bytes > maxBytes) {
            throw new AppError('unavailable', 'too many request bytes in flight; retry later', {
              retryAfterSeconds,
              details: { requested: bytes, inUse, maxBytes },
            });
          }
          held += bytes;
          change(bytes);
        },
        release() {
          if (!open) return;
          open = false;
          const bytes = held;
          held = 0;
          if (bytes > 0) change(-bytes);
        },
      };
    },
  };
}
