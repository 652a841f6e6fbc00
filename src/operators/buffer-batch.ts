import {
  Observable,
  asyncScheduler,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';

/** Options of {@link bufferBatch}. */
export interface BufferBatchConfig {
  /** A batch is emitted as soon as it holds this many values. A positive integer. */
  maxSize: number;
  /**
   * A batch is emitted at the latest this long after its FIRST value arrived, however few values it
   * holds. 0 emits what arrived synchronously together (one batch per burst). Default 10 ms.
   */
  maxWaitMs?: number;
  /** Where the wait is timed. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Collects values into micro-batches bounded by count and by wait: a batch goes out when it is full
 * or `maxWaitMs` after its first value, whichever comes first. Unlike RxJS `bufferTime`, nothing runs
 * while no value is waiting (no empty batches, no idle timer), and a lone value waits at most
 * `maxWaitMs`. On completion the partial batch is emitted, then completion; on error the partial
 * batch is dropped (for a JetStream source these are unacked messages, redelivered later) and the
 * error forwarded. Unsubscribing cancels the pending wait. State is per subscription.
 * Throws a RangeError at creation for a `maxSize` below 1 or a negative `maxWaitMs`.
 */
export function bufferBatch<T>(config: BufferBatchConfig): OperatorFunction<T, T[]> {
  const { maxSize } = config;
  const maxWaitMs = config.maxWaitMs ?? 10;
  if (!Number.isInteger(maxSize) || maxSize < 1) {
    throw new RangeError(`bufferBatch: maxSize must be an integer >= 1, got ${maxSize}`);
  }
  if (!Number.isFinite(maxWaitMs) || maxWaitMs < 0) {
    throw new RangeError(`bufferBatch: maxWaitMs must be a finite number >= 0, got ${maxWaitMs}`);
  }
  const scheduler = config.scheduler ?? asyncScheduler;

  return (source) =>
    new Observable<T[]>((subscriber) => {
      let batch: T[] = [];
      let wait: Subscription | undefined;

      const flush = (): void => {
        wait?.unsubscribe();
        wait = undefined;
        if (batch.length === 0) return;
        const full = batch;
        batch = [];
        subscriber.next(full);
      };

      const subscription = source.subscribe({
        next: (value) => {
          batch.push(value);
          if (batch.length >= maxSize) flush();
          else if (wait === undefined) wait = scheduler.schedule(flush, maxWaitMs);
        },
        error: (error: unknown) => {
          wait?.unsubscribe();
          batch = [];
          subscriber.error(error);
        },
        complete: () => {
          flush();
          subscriber.complete();
        },
      });

      return () => {
        subscription.unsubscribe();
        wait?.unsubscribe();
        batch = [];
      };
    });
}
