import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The webhook endpoint comes first: GitHub waits on its answer (and gives up after 10 s), while the
 * actors' backlog waits safely in JetStream. Ingress and actors share one event loop, so while the
 * endpoint is *crowded* the actors step back:
 *
 * - crowded: `crowdedAt` or more requests in flight now, or at any moment in the last `memoryMs`.
 *   Requests pile up only when the loop cannot keep up with them, so a steady trickle of webhooks
 *   (a few in flight) leaves the actors alone, while a burst, or one long actor batch that made
 *   requests queue, is seen at once. The memory bridges the gaps of a burst: a load generator or a
 *   proxy that is itself short of CPU leaves the endpoint empty for a few milliseconds at a time,
 *   and a batch started in such a gap would stall every request that arrives behind it.
 * - While crowded, the CPU-bound batches (GITHUB-stream actors, `admit`) run one at a time across
 *   all actors, each followed by a pause of `share` times its duration (at most `maxPauseMs`): the
 *   actors keep at least 1/(1 + share) of the loop, so they still progress under a load that never
 *   stops. The I/O-bound ones (TASKS actors, whose batches mostly wait on GitHub or Codegen) wait
 *   before they start (`waitTurn`: one let through per `maxPauseMs` while the crowd lasts) instead
 *   of holding the shared slot.
 * - Not crowded: batches run as they come, side by side, with no pause.
 */
export interface IngressPriority {
  /** A webhook request started / ended. */
  enter(): void;
  leave(): void;
  /** Requests in flight now. */
  readonly inFlight: number;
  /** Whether the endpoint is crowded now (the rule above). */
  readonly crowded: boolean;
  /** Runs one CPU-bound actor batch under the rule above. */
  admit<T>(batch: () => Promise<T>): Promise<T>;
  /**
   * Resolves once the endpoint is not crowded. While it stays crowded, the waiting callers are let
   * through one at a time, one per `maxPauseMs`.
   */
  waitTurn(): Promise<void>;
}

export interface IngressPriorityOptions {
  /** Requests in flight at which the endpoint counts as crowded. Default 4. */
  crowdedAt?: number;
  /** How long the endpoint still counts as crowded after its last crowded moment, in ms. Default 100. */
  memoryMs?: number;
  /** Pause per ms of actor batch while crowded. Default 9 (the actors keep ≥ 10 % of the loop). */
  share?: number;
  /** Upper bound of one pause or wait, in ms. Default 1000. */
  maxPauseMs?: number;
  /** How often a pause checks whether the crowd is gone, in ms. Default 2. */
  pollMs?: number;
  now?: () => number;
}

export function createIngressPriority(options: IngressPriorityOptions = {}): IngressPriority {
  const crowdedAt = options.crowdedAt ?? 4;
  const memoryMs = options.memoryMs ?? 100;
  const share = options.share ?? 9;
  const maxPauseMs = options.maxPauseMs ?? 1000;
  const pollMs = options.pollMs ?? 2;
  const now = options.now ?? performance.now.bind(performance);
  let inFlight = 0;
  let lastCrowdedAt = -Infinity;
  // The batch that holds the single slot while the endpoint is crowded (a promise chain: FIFO).
  let slot: Promise<void> = Promise.resolve();
  // The I/O-bound batches waiting their turn, in order (a promise chain too).
  let turns: Promise<void> = Promise.resolve();

  const isCrowded = () => inFlight >= crowdedAt || now() - lastCrowdedAt < memoryMs;
  const waitWhileCrowded = async (forMs: number) => {
    const until = now() + Math.min(maxPauseMs, Math.max(0, forMs));
    while (isCrowded() && now() < until) await sleep(pollMs);
  };

  return {
    enter() {
      inFlight += 1;
      if (inFlight >= crowdedAt) lastCrowdedAt = now();
    },
    leave() {
      // Leaving a crowd is its last crowded moment: the memory runs from here.
      if (inFlight >= crowdedAt) lastCrowdedAt = now();
      inFlight = Math.max(0, inFlight - 1);
    },
    get inFlight() {
      return inFlight;
    },
    get crowded() {
      return isCrowded();
    },
    async admit(batch) {
      if (!isCrowded()) return batch();
      const previous = slot;
      let release!: () => void;
      slot = new Promise<void>((resolve) => {
        release = resolve;
      });
      await previous;
      const started = now();
      try {
        return await batch();
      } finally {
        await waitWhileCrowded((now() - started) * share);
        release();
      }
    },
    waitTurn() {
      if (!isCrowded()) return Promise.resolve();
      // One after the other: each waits for the crowd to go, or maxPauseMs from the end of the wait
      // before it. Waiting side by side, every batch held would start at once when their waits ran
      // out together in a long burst — the analysis actor holds up to 32.
      const mine = turns.then(() => waitWhileCrowded(maxPauseMs));
      turns = mine;
      return mine;
    },
  };
}
