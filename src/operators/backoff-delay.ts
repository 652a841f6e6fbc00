/** How the wait grows with the attempt number. */
export type BackoffStrategy = 'exponential' | 'linear' | 'fixed' | 'fibonacci';

/** `full`: a uniformly random wait in [0, delay), AWS's "full jitter". */
export type BackoffJitter = 'none' | 'full';

/** Shape of a backoff schedule. All durations in milliseconds. */
export interface BackoffConfig {
  strategy: BackoffStrategy;
  /** The first attempt's wait (before jitter). */
  baseMs: number;
  /** Cap applied before jitter, so a jittered wait is always below it. */
  maxMs: number;
  jitter: BackoffJitter;
}

/**
 * Exponential from 1 s, capped at 60 s, with full jitter: spreads the retries of many actors
 * that failed together instead of having them hit a recovering dependency in lockstep.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export const DEFAULT_BACKOFF: Readonly<BackoffConfig> = Object.freeze({
  strategy: 'exponential',
  baseMs: 1_000,
  maxMs: 60_000,
  jitter: 'full',
});

/**
 * The wait before retry number `attempt` (1-based): exponential `base·2^(n-1)`, linear `base·n`,
 * fixed `base`, fibonacci `base·fib(n)` (1, 1, 2, 3, 5…); capped at `maxMs`; with full jitter,
 * `floor(random() · capped)`. `random` defaults to `Math.random` and is injectable for tests.
 * Throws a RangeError for an attempt below 1 or a negative or non-finite duration.
 */
export function backoffDelay(
  attempt: number,
  config: BackoffConfig,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`backoffDelay: attempt must be an integer >= 1, got ${attempt}`);
  }
  assertDuration('baseMs', config.baseMs);
  assertDuration('maxMs', config.maxMs);

  const capped = Math.min(uncapped(attempt, config), config.maxMs);
  if (config.jitter === 'none') return capped;
  // Clamp in case an injected random() returns exactly 1 (or more): the cap must hold.
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.min(Math.floor(r * capped), Math.max(capped - 1, 0));
}

function uncapped(attempt: number, config: BackoffConfig): number {
  const { baseMs, maxMs } = config;
  switch (config.strategy) {
    case 'fixed':
      return baseMs;
    case 'linear':
      return baseMs * attempt;
    case 'exponential':
      // 2 ** 1100 is Infinity, which Math.min then caps: no overflow to guard against.
      return baseMs * 2 ** (attempt - 1);
    case 'fibonacci': {
      let previous = 0;
      let current = 1;
      // Stop once past the cap: fib(n) for large n would take n steps for nothing.
      for (let n = 1; n < attempt && baseMs * current <= maxMs; n += 1) {
        [previous, current] = [current, previous + current];
      }
      return baseMs * current;
    }
  }
}

function assertDuration(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`backoffDelay: ${name} must be a finite number >= 0, got ${value}`);
  }
}
