/**
 * How many messages a consumer may hold at once (pulled, not yet settled): a pull asks the server
 * only for the slots that are free, and each message's slot is given back when it is settled.
 */
export interface PullCredit {
  /** Slots taken (messages held plus messages asked for and not yet arrived). */
  readonly used: number;
  readonly limit: number;
  /** Waits until a slot is free, then takes up to `max` of the free ones; resolves with how many. */
  acquire(max: number): Promise<number>;
  /** Gives `count` slots back (default 1), waking a waiting `acquire`. */
  release(count?: number): void;
}

/**
 * A counting semaphore for pull requests. Without it a pull loop keeps asking the server for more
 * while its handlers are busy, and one instance hoards messages (up to max_ack_pending) that another
 * instance, idle, could run at once — and a message redelivered after a crash queues behind them.
 * Throws a RangeError for a `limit` below 1.
 */
export function createPullCredit(limit: number): PullCredit {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`createPullCredit: limit must be an integer >= 1, got ${limit}`);
  let used = 0;
  const waiting: Array<() => void> = [];
  const wake = () => {
    while (used < limit && waiting.length > 0) waiting.shift()!();
  };
  return {
    get used() {
      return used;
    },
    limit,
    async acquire(max) {
      while (used >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      const taken = Math.max(1, Math.min(max, limit - used));
      used += taken;
      return taken;
    },
    release(count = 1) {
      used = Math.max(0, used - count);
      wake();
    },
  };
}
