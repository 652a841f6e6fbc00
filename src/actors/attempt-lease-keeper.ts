import type { EntityManager } from '@mikro-orm/postgresql';
import { expireAttemptLeases, renewAttemptLeases, type AttemptKey } from '../effects/db/attempt-leases.js';
import type { Logger } from '../observability/logger.js';

/** Options of {@link createAttemptLeaseKeeper}. */
export interface AttemptLeaseKeeperOptions {
  /** A fresh unit of work per renewal. */
  fork: () => EntityManager;
  /** This process's instance id, recorded on every attempt it runs. */
  owner: string;
  /** Lease length (see service.ts for how it follows the consumers' ack_wait). */
  leaseMs: number;
  /** Renewal period. Default a third of `leaseMs`, so one missed renewal does not lose a live lease. */
  renewEveryMs?: number;
  logger: Logger;
}

/** The attempts this process runs, and their leases kept alive. */
export interface AttemptLeaseKeeper {
  readonly owner: string;
  readonly leaseMs: number;
  /** This process works on the attempt: renew its lease until `release`. */
  hold(attempt: AttemptKey): void;
  /**
   * Done with the attempt. `gaveUp`: its outcome could not be recorded — its lease is ended at
   * the next renewal, and until then a delivery here may take the task over at once (`reclaimable`).
   */
  release(attempt: AttemptKey, options?: { gaveUp?: boolean }): void;
  /** Attempts given up here, task id → number, for `startAttempts({ reclaim })`. */
  reclaimable(): ReadonlyMap<string, number>;
  /** Stops renewing (shutdown): the leases of held attempts then run out by themselves. */
  stop(): void;
}

/**
 * Keeps the leases of the attempts this process runs alive: every `renewEveryMs`, one UPDATE for
 * all of them (not one per task), plus one that ends the leases of attempts given up. A process
 * that dies stops renewing, so its attempts can be taken over once their leases run out; one
 * that is only slow keeps its tasks. A renewal that fails (PostgreSQL away) is tried at the next
 * tick; the message of such a task is still held here, so no one else is handed it meanwhile.
 */
export function createAttemptLeaseKeeper(options: AttemptLeaseKeeperOptions): AttemptLeaseKeeper {
  const { owner, leaseMs } = options;
  const log = options.logger.child({ component: 'attempt-leases', owner });
  const held = new Map<string, AttemptKey & { holders: number }>();
  const givenUp = new Map<string, number>();
  let renewing = false;
  let failing = false;

  const tick = async () => {
    if (renewing) return;
    renewing = true;
    const toExpire = [...givenUp].map(([taskId, number]) => ({ taskId, number }));
    try {
      const em = options.fork();
      const closed = await renewAttemptLeases(em, [...held.values()], { owner, leaseMs });
      for (const attempt of closed) {
        held.delete(attempt.taskId);
        log.warn({ task_id: attempt.taskId, attempt: attempt.number }, 'attempt closed elsewhere (taken over or retried); no longer renewing it');
      }
      await expireAttemptLeases(em, toExpire);
      for (const { taskId, number } of toExpire) if (givenUp.get(taskId) === number) givenUp.delete(taskId);
      if (failing) log.info('attempt leases renewed again');
      failing = false;
    } catch (error) {
      if (!failing) log.warn({ err: error, held: held.size }, 'could not renew attempt leases; trying again at the next tick');
      failing = true;
    } finally {
      renewing = false;
    }
  };
  const timer = setInterval(() => void tick(), options.renewEveryMs ?? Math.max(100, Math.floor(leaseMs / 3)));
  timer.unref();

  return {
    owner,
    leaseMs,
    hold({ taskId, number }) {
      const current = held.get(taskId);
      // A second message for the same attempt in this process (a Codegen run followed twice) shares it.
      if (current?.number === number) current.holders += 1;
      else held.set(taskId, { taskId, number, holders: 1 });
      const gaveUp = givenUp.get(taskId);
      if (gaveUp !== undefined && gaveUp < number) givenUp.delete(taskId);
    },
    release({ taskId, number }, { gaveUp = false } = {}) {
      const current = held.get(taskId);
      if (current?.number === number) {
        current.holders -= 1;
        if (current.holders <= 0 || gaveUp) held.delete(taskId);
      }
      if (gaveUp) givenUp.set(taskId, number);
    },
    reclaimable: () => givenUp,
    stop() {
      clearInterval(timer);
    },
  };
}
