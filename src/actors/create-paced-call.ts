import { Subject, type SchedulerLike } from 'rxjs';
import { rateLimitWindow } from '../operators/rate-limit-window.js';

/** Options of {@link createPacedCall}: at most `limit` calls start in any `windowMs`. */
export interface PacedCallOptions {
  limit: number;
  windowMs: number;
  /** Told each time a call has to wait: the hook for `orchestrator_rate_limited_total`. */
  onLimited?: () => void;
  scheduler?: SchedulerLike;
}

/** Runs a call once the budget lets it start. */
export type PacedCall = <T>(call: () => Promise<T>) => Promise<T>;

/**
 * A dependency's call budget as one long-lived `rateLimitWindow` pipeline that every caller shares:
 * calls go in, and each starts when the window lets it through — delayed, never dropped, in the
 * order they came. The wait is in memory, but bounded: the callers are actor messages, limited by
 * the consumer's max_ack_pending and kept alive (marked working) by the runner meanwhile.
 */
export function createPacedCall(options: PacedCallOptions): PacedCall {
  const starts = new Subject<() => void>();
  starts
    .pipe(
      rateLimitWindow({
        limit: options.limit,
        windowMs: options.windowMs,
        ...(options.onLimited ? { onLimited: () => options.onLimited?.() } : {}),
        ...(options.scheduler ? { scheduler: options.scheduler } : {}),
      }),
    )
    .subscribe((start) => start());
  return <T>(call: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      starts.next(() => {
        call().then(resolve, reject);
      });
    });
}
