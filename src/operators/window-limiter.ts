/** Options of {@link createWindowLimiter}. Durations in milliseconds. */
export interface WindowLimiterConfig {
  /** Admissions allowed per key within any window of `windowMs`. A positive integer. */
  limit: number;
  windowMs: number;
  /** Clock. Default `Date.now`; the rate-limit operator passes its scheduler's `now`. */
  now?: () => number;
  /**
   * Width of the slots admissions are counted in. 0 counts exact timestamps. Coarser slots bound
   * memory per key to about `windowMs / resolutionMs` entries and hold admissions back by up to
   * one slot more than the window; they never admit more than `limit`. Default: exact when
   * `limit <= 100` (Codegen's 10 per minute stays precise), else `windowMs / 100`.
   */
  resolutionMs?: number;
  /** Keys tracked at most; beyond it the least recently used key is forgotten. Default 10 000. */
  maxKeys?: number;
}

/** Answer of {@link WindowLimiter.tryAcquire}. */
export type WindowDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** A synchronous sliding-window counter, per key. */
export interface WindowLimiter {
  /**
   * Takes one admission for `key` (default: one global key) if the window has room, else says
   * how long until it will (always >= 1 ms). A refused attempt takes nothing.
   */
  tryAcquire(key?: string): WindowDecision;
  /** Keys currently tracked (idle keys are dropped within about one window). */
  readonly size: number;
}

interface Slot {
  start: number;
  count: number;
}

interface KeyState {
  slots: Slot[];
  total: number;
}

const GLOBAL_KEY = '';

/**
 * A sliding-window rate limiter: never more than `limit` admissions per key in any `windowMs`
 * span. Used by HTTP ingress (per address and global), by outbound clients (Codegen's 10 per
 * minute) and by the `rateLimitWindow` operator. Memory stays bounded: keys with nothing left in
 * their window are swept once per window, and at most `maxKeys` keys are kept.
 * Throws a RangeError for a non-positive or non-integer limit or a non-positive window.
 */
export function createWindowLimiter(config: WindowLimiterConfig): WindowLimiter {
  const { limit, windowMs } = config;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`window limiter: limit must be an integer >= 1, got ${limit}`);
  }
  if (!Number.isFinite(windowMs) || windowMs <= 0) {
    throw new RangeError(`window limiter: windowMs must be a finite number > 0, got ${windowMs}`);
  }
  const resolutionMs = config.resolutionMs ?? (limit <= 100 ? 0 : windowMs / 100);
  if (!Number.isFinite(resolutionMs) || resolutionMs < 0 || resolutionMs > windowMs) {
    throw new RangeError(`window limiter: resolutionMs must be within [0, windowMs], got ${resolutionMs}`);
  }
  const maxKeys = config.maxKeys ?? 10_000;
  if (!(maxKeys === Infinity || (Number.isInteger(maxKeys) && maxKeys >= 1))) {
    throw new RangeError(`window limiter: maxKeys must be an integer >= 1, got ${maxKeys}`);
  }
  const now = config.now ?? Date.now;

  // Map iteration order is insertion order; re-inserting on use makes the first key the LRU one.
  const keys = new Map<string, KeyState>();
  let lastSweep = now();

  /** A slot stops counting once no instant inside it can still be within the window. */
  const expiresAt = (slot: Slot): number => slot.start + resolutionMs + windowMs;

  const prune = (state: KeyState, at: number): void => {
    let drop = 0;
    for (const slot of state.slots) {
      if (expiresAt(slot) > at) break;
      state.total -= slot.count;
      drop += 1;
    }
    if (drop > 0) state.slots.splice(0, drop);
  };

  const sweep = (at: number): void => {
    lastSweep = at;
    for (const [key, state] of keys) {
      prune(state, at);
      if (state.total === 0) keys.delete(key);
    }
  };

  const stateOf = (key: string): KeyState => {
    const existing = keys.get(key);
    if (existing) {
      keys.delete(key);
      keys.set(key, existing);
      return existing;
    }
    const created: KeyState = { slots: [], total: 0 };
    keys.set(key, created);
    if (keys.size > maxKeys) {
      // Forgetting a busy key may admit it early; bounded memory under a flood of new keys
      // (spoofed addresses) is the better trade.
      const oldest = keys.keys().next().value as string;
      keys.delete(oldest);
    }
    return created;
  };

  return {
    tryAcquire(key = GLOBAL_KEY) {
      const at = now();
      if (at - lastSweep >= windowMs) sweep(at);
      const state = stateOf(key);
      prune(state, at);
      if (state.total < limit) {
        const start = resolutionMs > 0 ? Math.floor(at / resolutionMs) * resolutionMs : at;
        const last = state.slots[state.slots.length - 1];
        if (last !== undefined && last.start === start) last.count += 1;
        else state.slots.push({ start, count: 1 });
        state.total += 1;
        return { allowed: true };
      }
      // Room for one more appears when the oldest slots holding (total - limit + 1) expire.
      let freed = 0;
      let until = at + windowMs;
      for (const slot of state.slots) {
        freed += slot.count;
        until = expiresAt(slot);
        if (state.total - freed < limit) break;
      }
      return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(until - at)) };
    },
    get size() {
      return keys.size;
    },
  };
}
