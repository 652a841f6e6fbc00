import type { KvLease } from '../bus/kv-lease.js';
import type { RecoveryRun, RecoveryTrigger } from '../effects/db/entities/recovery-run.js';
import type { Logger } from '../observability/logger.js';
import type { RecoveryOutcome } from './begin-recovery-run.js';

/** Options of {@link createRecoveryJob}. */
export interface RecoveryJobOptions {
  /** The lease that keeps the job to one instance at a time. */
  lease: KvLease;
  /** The lease's TTL: it is renewed every third of it while a run goes on. */
  leaseTtlMs: number;
  /** Time between scheduled runs. */
  intervalMs: number;
  /** Delay before the first scheduled run. Default 5 s (let the service settle). */
  firstRunDelayMs?: number;
  begin(request: { trigger: RecoveryTrigger; since?: Date | undefined }): Promise<{ run: RecoveryRun; finished: Promise<RecoveryOutcome> }>;
  logger: Logger;
  now?: () => number;
}

/** What a request to start a run got. */
export type RecoveryStart = { started: true; run: RecoveryRun } | { started: false; reason: string };

/** The periodic missed-delivery recovery, one instance at a time. */
export interface RecoveryJob {
  start(): void;
  /** Starts a run now (an operator's), unless one is going on here or on another instance. */
  trigger(since?: Date): Promise<RecoveryStart>;
  /** Stops scheduling, waits for a run in progress, releases the lease. */
  stop(): Promise<void>;
}

/**
 * Runs the recovery every `intervalMs` on whichever instance holds the lease; a paused run
 * (GitHub's rate limit) is resumed at its `resumeAt` instead of the next interval.
 */
export function createRecoveryJob(options: RecoveryJobOptions): RecoveryJob {
  const { lease, logger } = options;
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<RecoveryOutcome> | undefined;
  let stopped = false;

  const schedule = (delayMs: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), Math.max(0, delayMs));
    timer.unref();
  };

  const launch = async (trigger: RecoveryTrigger, since?: Date): Promise<RecoveryStart> => {
    if (current) return { started: false, reason: 'a recovery run is already going on on this instance' };
    if (!(await lease.acquire())) return { started: false, reason: 'another instance holds the recovery lease (a run is going on there)' };
    let begun;
    try {
      begun = await options.begin({ trigger, since });
    } catch (error) {
      await lease.release();
      throw error;
    }
    const renewal = setInterval(() => {
      lease.renew().then(
        (held) => held || logger.warn('recovery lease lost while running; another instance may start a run'),
        (error: unknown) => logger.warn({ err: error }, 'recovery lease could not be renewed'),
      );
    }, Math.max(100, Math.floor(options.leaseTtlMs / 3)));
    current = begun.finished.finally(async () => {
      clearInterval(renewal);
      await lease.release();
      current = undefined;
    });
    void current.then((outcome) => {
      const resumeAt = outcome.status === 'paused' && outcome.resumeAt ? outcome.resumeAt.getTime() : undefined;
      schedule(resumeAt !== undefined ? resumeAt - now() : options.intervalMs);
    });
    return { started: true, run: begun.run };
  };

  const tick = async () => {
    try {
      const start = await launch('schedule');
      if (!start.started) {
        logger.debug({ reason: start.reason }, 'scheduled recovery run skipped');
        schedule(options.intervalMs);
      }
    } catch (error) {
      logger.warn({ err: error }, 'recovery run could not start; trying again at the next interval');
      schedule(options.intervalMs);
    }
  };

  return {
    start() {
      schedule(options.firstRunDelayMs ?? 5000);
    },
    trigger: (since) => launch('manual', since),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current?.catch(() => undefined);
      await lease.release();
    },
  };
}
