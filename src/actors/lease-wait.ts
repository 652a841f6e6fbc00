/** Beyond the lease's end, so the next delivery finds it over rather than a few milliseconds short. */
const MARGIN_MS = 250;
const MAX_WAIT_MS = 5 * 60_000;

/**
 * How long a message waits, in seconds, when its task runs under another worker's live lease:
 * until that lease would run out (its owner may be gone, and then this message takes over), and
 * from the second refusal on at least 2 s, doubling per delivery up to 5 min — so a live owner's
 * long work does not use up the message's deliveries and send it to the dead-letter queue.
 */
export function leaseWaitSeconds(leaseLeftMs: number, deliveryCount: number): number {
  const refusals = deliveryCount - 2;
  const spacing = refusals < 1 ? 0 : Math.min(MAX_WAIT_MS, 1000 * 2 ** refusals);
  return Math.max(leaseLeftMs + MARGIN_MS, spacing) / 1000;
}
