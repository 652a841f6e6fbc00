import { Observable, asyncScheduler, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';

/** Options of {@link dedupeByKey}. */
export interface DedupeByKeyConfig<T> {
  /**
   * Identity of a value, e.g. the GitHub delivery id. `undefined` exempts the value: it passes and
   * is not remembered (e.g. a JetStream redelivery of a message that was nak'd on purpose).
   */
  key: (value: T) => string | undefined;
  /** How long after a key's first value repeats are dropped, in ms. > 0; Infinity allowed. */
  windowMs: number;
  /** Where time is read. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** Called with each dropped repeat, so the caller can ack it and count it. */
  onDuplicate?: (value: T) => void;
  /** Keys remembered at most; the oldest is forgotten first. Default 10 000. */
  maxKeys?: number;
}

/**
 * A key that holds nothing but its own characters. A key cut from a longer string (a header
 * value is a slice of the message's whole header block) is, in V8, a view that keeps the whole
 * block alive: 20,000 remembered delivery ids kept ~10 MB of NATS headers. Prepending a character
 * makes a new string, which slice(1) flattens into a fresh copy the size of the key.
 */
function ownCopy(key: string): string {
  return ` ${key}`.slice(1);
}

/**
 * Passes the first value for a key and drops repeats that arrive within `windowMs` of it,
 * reporting each to `onDuplicate`. Keys are forgotten after the window (checked as values arrive,
 * so no timers), or oldest first once `maxKeys` are held, so memory is bounded. This is a cheap first filter for JetStream
 * redeliveries; the database's unique keys remain the guarantee of exactly-once effects.
 * State is per subscription. Throws a RangeError at creation for `windowMs <= 0` or a
 * `maxKeys` that is not a positive integer.
 */
export function dedupeByKey<T>(config: DedupeByKeyConfig<T>): MonoTypeOperatorFunction<T> {
  const { windowMs } = config;
  if (Number.isNaN(windowMs) || windowMs <= 0) {
    throw new RangeError(`dedupeByKey: windowMs must be > 0, got ${windowMs}`);
  }
  const maxKeys = config.maxKeys ?? 10_000;
  if (!(maxKeys === Infinity || (Number.isInteger(maxKeys) && maxKeys >= 1))) {
    throw new RangeError(`dedupeByKey: maxKeys must be an integer >= 1, got ${maxKeys}`);
  }
  const scheduler = config.scheduler ?? asyncScheduler;

  return (source) =>
    new Observable<T>((subscriber) => {
      // Insertion order is first-seen order, so expired keys are always at the front.
      const firstSeen = new Map<string, number>();

      const forgetExpired = (now: number): void => {
        for (const [key, seenAt] of firstSeen) {
          if (seenAt + windowMs > now) return;
          firstSeen.delete(key);
        }
      };

      const subscription = source.subscribe({
        next: (value) => {
          try {
            forgetExpired(scheduler.now());
            const key = config.key(value);
            if (key === undefined) {
              subscriber.next(value);
              return;
            }
            if (firstSeen.has(key)) {
              config.onDuplicate?.(value);
              return;
            }
            firstSeen.set(ownCopy(key), scheduler.now());
            if (firstSeen.size > maxKeys) {
              firstSeen.delete(firstSeen.keys().next().value as string);
            }
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.next(value);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });

      return () => {
        subscription.unsubscribe();
        firstSeen.clear();
      };
    });
}
