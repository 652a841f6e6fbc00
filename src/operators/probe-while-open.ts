import { catchError, defer, EMPTY, exhaustMap, filter, map, of, switchMap, take, timer, type ObservableInput, type SchedulerLike, type Subscription } from 'rxjs';
import type { CircuitBreaker } from './circuit-breaker.js';

export interface ProbeWhileOpenOptions {
  /** True when the dependency answers (a ping); false or an error when it does not. */
  check: () => ObservableInput<boolean>;
  /** Time between checks while the breaker is open, in ms. Default 500. */
  intervalMs?: number;
  scheduler?: SchedulerLike;
}

/**
 * While `breaker` is open, checks the dependency every `intervalMs` (one check at a time); the
 * first check that answers ends the cool-down (`endCoolDown`), so work resumes within one interval
 * of the dependency coming back instead of up to a whole cool-down later. The calls themselves
 * still decide: the next one is the half-open probe that closes the breaker or opens it again.
 */
export function probeWhileOpen(breaker: CircuitBreaker, options: ProbeWhileOpenOptions): Subscription {
  const intervalMs = options.intervalMs ?? 500;
  const answered = () =>
    defer(() => options.check()).pipe(
      map((ok) => ok === true),
      catchError(() => of(false)),
    );
  return breaker.state$
    .pipe(
      switchMap((state) =>
        state === 'open'
          ? timer(intervalMs, intervalMs, options.scheduler).pipe(
              exhaustMap(answered),
              filter(Boolean),
              take(1),
            )
          : EMPTY,
      ),
    )
    .subscribe(() => breaker.endCoolDown());
}
