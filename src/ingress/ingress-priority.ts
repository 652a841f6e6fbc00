import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The webhook endpoint comes first: GitHub waits on its answer (and gives up after 10 s), while the
 * actors' backlog waits safely in JetStream. Ingress and actors share one event loop, so while
 * webhook requests are in flight the actors' batches run one at a time across all actors, each
 * followed by a pause as long as it took (times `share`): the endpoint keeps at least that share of
 * the loop while the actors drain, and the actors still progress under a load that never stops.
 * With no request in flight, batches run as they come, with no pause.
 */
export interface IngressPriority {
  /** A webhook request started / ended. */
  enter(): void;
  leave(): void;
  /** Requests in flight now. */
  readonly inFlight: number;
  /** Runs one actor batch under the rule above. */
  admit<T>(batch: () => Promise<T>): Promise<T>;
}

export interface IngressPriorityOptions {
  /** Pause per ms of actor batch while requests are in flight. Default 1. */
  share?: number;
  /** Upper bound of one pause, in ms. Default 250. */
  maxPauseMs?: number;
  /** How often a pause checks whether the requests are done, in ms. Default 2. */
  pollMs?: number;
  now?: () => number;
}

export function createIngressPriority(options: IngressPriorityOptions = {}): IngressPriority {
  const share = options.share ?? 1;
  const maxPauseMs = options.maxPauseMs ?? 250;
  const pollMs = options.pollMs ?? 2;
  const now = options.now ?? performance.now.bind(performance);
  let inFlight = 0;
  // The batch that holds the single slot while the endpoint is busy (a promise chain: FIFO).
  let slot: Promise<void> = Promise.resolve();

  const pauseAfter = async (spentMs: number) => {
    const until = now() + Math.min(maxPauseMs, Math.max(0, spentMs) * share);
    while (inFlight > 0 && now() < until) await sleep(pollMs);
  };

  return {
    enter() {
      inFlight += 1;
    },
    leave() {
      inFlight = Math.max(0, inFlight - 1);
    },
    get inFlight() {
      return inFlight;
    },
    async admit(batch) {
      if (inFlight === 0) return batch();
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
        await pauseAfter(now() - started);
        release();
      }
    },
  };
}
