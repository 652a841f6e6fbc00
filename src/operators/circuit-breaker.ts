import {
  BehaviorSubject,
  asyncScheduler,
  distinctUntilChanged,
  type Observable,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { isRetryable } from '../errors/classify.js';

/** Breaker states, spelled as the `orchestrator_circuit_breaker_state` gauge documents them. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerConfig {
  /** The dependency it guards ('github', 'codegen', 'database'): used in errors and metrics. */
  name: string;
  /** Consecutive failures that open the breaker. Default 5. */
  failureThreshold?: number;
  /** Time spent open before probing, in ms. Default 30 000. */
  coolDownMs?: number;
  /** Calls let through at once while half-open. Default 1. */
  halfOpenMaxProbes?: number;
  /** Where the cool-down is timed. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /**
   * Which errors say the dependency is unwell. Default {@link isRetryable}: a 404 or a validation
   * error is an answer from a healthy dependency and must not open the breaker.
   */
  isFailure?: (error: unknown) => boolean;
}

/** The last call's result, for health checks that must not call out themselves. */
export interface CallOutcome {
  ok: boolean;
  /** Scheduler time of the outcome. */
  at: number;
  error?: unknown;
}

/**
 * Breaker state shared by every caller of one dependency. Callers ask `tryAcquire()` before a
 * call and report it with exactly one of `recordSuccess`, `recordFailure` or `release`.
 */
export interface CircuitBreaker {
  readonly name: string;
  /** Time spent open before probing, in ms (the config's `coolDownMs`). */
  readonly coolDownMs: number;
  /** Whether `error` says the dependency is unwell: the config's `isFailure`. Records nothing. */
  isFailure(error: unknown): boolean;
  /** Current state, then every change. Replays the current state to new subscribers. */
  readonly state$: Observable<CircuitState>;
  readonly state: CircuitState;
  /** The last recorded call, or undefined before the first. */
  readonly lastOutcome: CallOutcome | undefined;
  /** Whether a call would be let through now. Takes nothing. */
  canPass(): boolean;
  /** Lets a call through if the state allows; in half-open this takes one of the probe slots. */
  tryAcquire(): boolean;
  /** A call succeeded: resets the failure count; a half-open breaker closes. */
  recordSuccess(): void;
  /**
   * A call failed. Only errors for which `isFailure` holds count (and a half-open breaker
   * reopens); others are answers from a healthy dependency and are recorded as a success.
   * Returns whether the error counted as a failure.
   */
  recordFailure(error: unknown): boolean;
  /** A call ended without an outcome (unsubscribed): gives its probe slot back. */
  release(): void;
  /** Time left before an open breaker starts probing, in ms; 0 unless open. */
  retryAfterMs(): number;
  /**
   * A check outside the calls (e.g. a ping) saw the dependency answer: an open breaker moves to
   * half_open now, so the next call probes at once instead of after the rest of the cool-down.
   * Does nothing unless open.
   */
  endCoolDown(): void;
  /** Cancels the cool-down timer and completes `state$`. For shutdown. */
  dispose(): void;
}

/**
 * Creates a circuit breaker: closed → open after `failureThreshold` consecutive failures;
 * open → half_open after `coolDownMs` (a timer on the scheduler); half_open → closed when a probe
 * succeeds, → open again when it fails. Outcomes that arrive while open (calls started before it
 * opened) change nothing. Throws a RangeError for a threshold or probe count below 1 or a negative
 * cool-down.
 */
export function createCircuitBreaker(config: CircuitBreakerConfig): CircuitBreaker {
  const failureThreshold = config.failureThreshold ?? 5;
  const coolDownMs = config.coolDownMs ?? 30_000;
  const halfOpenMaxProbes = config.halfOpenMaxProbes ?? 1;
  if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
    throw new RangeError(`circuit breaker ${config.name}: failureThreshold must be an integer >= 1, got ${failureThreshold}`);
  }
  if (!Number.isFinite(coolDownMs) || coolDownMs < 0) {
    throw new RangeError(`circuit breaker ${config.name}: coolDownMs must be a finite number >= 0, got ${coolDownMs}`);
  }
  if (!Number.isInteger(halfOpenMaxProbes) || halfOpenMaxProbes < 1) {
    throw new RangeError(`circuit breaker ${config.name}: halfOpenMaxProbes must be an integer >= 1, got ${halfOpenMaxProbes}`);
  }
  const scheduler = config.scheduler ?? asyncScheduler;
  const isFailure = config.isFailure ?? isRetryable;

  const subject = new BehaviorSubject<CircuitState>('closed');
  const state$ = subject.pipe(distinctUntilChanged());
  let current: CircuitState = 'closed';
  let consecutiveFailures = 0;
  let probesInFlight = 0;
  let openedAt = 0;
  let coolDown: Subscription | undefined;
  let lastOutcome: CallOutcome | undefined;
  let disposed = false;

  const enter = (next: CircuitState): void => {
    coolDown?.unsubscribe();
    coolDown = undefined;
    probesInFlight = 0;
    if (next === 'open' && !disposed) {
      openedAt = scheduler.now();
      coolDown = scheduler.schedule(() => {
        coolDown = undefined;
        enter('half_open');
      }, coolDownMs);
    }
    if (next === 'closed') consecutiveFailures = 0;
    current = next;
    subject.next(next);
  };

  const succeed = (): void => {
    if (current === 'open') return;
    consecutiveFailures = 0;
    if (current === 'half_open') enter('closed');
  };

  const canPass = (): boolean =>
    current === 'closed' || (current === 'half_open' && probesInFlight < halfOpenMaxProbes);

  return {
    name: config.name,
    coolDownMs,
    isFailure,
    state$,
    get state() {
      return current;
    },
    get lastOutcome() {
      return lastOutcome;
    },
    canPass,
    tryAcquire() {
      if (!canPass()) return false;
      if (current === 'half_open') probesInFlight += 1;
      return true;
    },
    recordSuccess() {
      lastOutcome = { ok: true, at: scheduler.now() };
      succeed();
    },
    recordFailure(error) {
      lastOutcome = { ok: false, at: scheduler.now(), error };
      if (!isFailure(error)) {
        succeed();
        return false;
      }
      if (current === 'half_open') enter('open');
      else if (current === 'closed') {
        consecutiveFailures += 1;
        if (consecutiveFailures >= failureThreshold) enter('open');
      }
      return true;
    },
    release() {
      if (current === 'half_open' && probesInFlight > 0) probesInFlight -= 1;
    },
    retryAfterMs() {
      if (current !== 'open') return 0;
      return Math.max(0, openedAt + coolDownMs - scheduler.now());
    },
    endCoolDown() {
      if (current === 'open' && !disposed) enter('half_open');
    },
    dispose() {
      disposed = true;
      coolDown?.unsubscribe();
      coolDown = undefined;
      subject.complete();
    },
  };
}
