import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultDelivery } from './fault-deliveries.js';

/** What became of the deliveries a sender was given. */
export interface SendReport {
  sent: number;
  /** Delivery ids that got a 202 (each counted once, however many tries it took). */
  accepted: Set<string>;
  /** Tries that were not a 202 (status or network error), each redelivered. */
  refused: number;
  /** Answers other than 202 by status ('network' for no answer), for the report. */
  refusals: Record<string, number>;
}

export interface RedeliveringSenderOptions {
  /** The instances' base URLs now (undefined while one is down): deliveries go round-robin over those up. */
  targets: () => Array<string | undefined>;
  /** Deliveries started per second (default 25). */
  perSecond?: number;
  /** Tries in flight at most (default 16). */
  concurrency?: number;
  /** Stop redelivering one delivery after this long (default 120 s); it then counts as not accepted. */
  giveUpMs?: number;
  /** Bound on one try (default 10 s), like GitHub's own timeout. */
  timeoutMs?: number;
  /** Filled as deliveries are accepted, so a fault can start after some of them (default: a new set). */
  accepted?: Set<string>;
}

/**
 * Posts each delivery as GitHub would, spread over the instances, and redelivers every answer
 * that is not a 202 (and every connection refused or timed out) with the same delivery id and
 * bytes — GitHub's Redeliver, or missed-delivery recovery — after a growing pause, to whichever
 * instance is up then. Resolves once every delivery was accepted or given up on.
 */
export async function sendRedelivering(deliveries: readonly FaultDelivery[], options: RedeliveringSenderOptions): Promise<SendReport> {
  const report: SendReport = { sent: deliveries.length, accepted: options.accepted ?? new Set(), refused: 0, refusals: {} };
  const perSecond = options.perSecond ?? 25;
  const concurrency = options.concurrency ?? 16;
  const giveUpMs = options.giveUpMs ?? 120_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let turn = 0;
  let inFlight = 0;
  const slots: Array<() => void> = [];
  const acquire = async () => {
    while (inFlight >= concurrency) await new Promise<void>((resolve) => slots.push(resolve));
    inFlight += 1;
  };
  const release = () => {
    inFlight -= 1;
    slots.shift()?.();
  };

  const deliver = async (delivery: FaultDelivery): Promise<void> => {
    const started = Date.now();
    for (let attempt = 0; Date.now() - started < giveUpMs; attempt++) {
      const up = options.targets().filter((url): url is string => url !== undefined);
      let outcome = 'no instance up';
      if (up.length > 0) {
        const target = up[turn++ % up.length]!;
        await acquire();
        try {
          const response = await fetch(`${target}/api/v1/webhooks/github`, {
            method: 'POST',
            headers: delivery.headers,
            body: delivery.body,
            signal: AbortSignal.timeout(timeoutMs),
          });
          await response.arrayBuffer();
          if (response.status === 202) {
            report.accepted.add(delivery.deliveryId);
            return;
          }
          outcome = String(response.status);
        } catch {
          outcome = 'network';
        } finally {
          release();
        }
      }
      report.refused += 1;
      report.refusals[outcome] = (report.refusals[outcome] ?? 0) + 1;
      await sleep(Math.min(250 * 2 ** attempt, 3000));
    }
  };

  const running: Array<Promise<void>> = [];
  for (const [index, delivery] of deliveries.entries()) {
    running.push(deliver(delivery));
    if (index < deliveries.length - 1) await sleep(1000 / perSecond);
  }
  await Promise.all(running);
  return report;
}
