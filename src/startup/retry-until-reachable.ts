import type { Logger } from '../observability/logger.js';

/** Options of {@link retryUntilReachable}. */
export interface RetryUntilReachableOptions<T> {
  /** What is being reached, for people: `NATS`, `PostgreSQL`. */
  dependency: string;
  /** Where, already free of passwords (see `redactUrl`). */
  target: string;
  /** One try. A rejection means "not reachable yet"; it is logged and tried again. */
  attempt(): Promise<T>;
  /** How to get one running, appended to the first explanation (e.g. which command starts it). */
  hint: string;
  logger: Logger;
  /** Told of every state change, for /health/ready while starting (`undefined` once reached). */
  onState?(problem: string | undefined): void;
  /** Stops retrying: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** First delay between tries. Default 500 ms; doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  /** Longest delay between tries. Default 10 000 ms. */
  maxDelayMs?: number;
  /** When the first try has neither succeeded nor failed after this long, say so. Default 1000 ms. */
  slowNoticeMs?: number;
}

/**
 * Tries `attempt` until it succeeds, with exponential backoff, telling the operator what is going
 * on: within `slowNoticeMs` of the first try (or at its first failure, whichever comes first) one
 * warning names the dependency, the URL, what went wrong and how to get one; every retry after that
 * is logged with its number and the next delay. A start that waits must never be silent.
 */
export async function retryUntilReachable<T>(options: RetryUntilReachableOptions<T>): Promise<T> {
  const { dependency, target, logger, signal } = options;
  const initialDelay = options.initialDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 10_000;
  const fields = { dependency, url: target };
  let explained = false;
  const explain = (what: string, delayMs?: number) => {
    explained = true;
    const problem = `${dependency} is not reachable at ${target} (${what})`;
    options.onState?.(problem);
    logger.warn(
      { ...fields, attempt: 1, tried: what, ...(delayMs === undefined ? {} : { retry_in_ms: delayMs }) },
      `${problem}. ${options.hint}. Retrying with backoff until it answers; /health/live answers meanwhile, /health/ready is 503.`,
    );
  };
  const slowNotice = setTimeout(() => explain('no answer yet'), options.slowNoticeMs ?? 1000);
  slowNotice.unref();
  let delay = initialDelay;
  try {
    for (let attempt = 1; ; attempt += 1) {
      signal?.throwIfAborted();
      try {
        const value = await options.attempt();
        if (explained) logger.info({ ...fields, attempts: attempt }, `${dependency} reached at ${target}`);
        options.onState?.(undefined);
        return value;
      } catch (error) {
        clearTimeout(slowNotice);
        const what = describeFailure(error);
        if (!explained) explain(what, delay);
        else {
          options.onState?.(`${dependency} is not reachable at ${target} (${what})`);
          logger.warn({ ...fields, attempt, tried: what, retry_in_ms: delay }, `${dependency} still not reachable at ${target} (${what}); try ${attempt + 1} in ${delay} ms`);
        }
      }
      await sleep(delay, signal);
      delay = Math.min(maxDelay, delay * 2);
    }
  } finally {
    clearTimeout(slowNotice);
  }
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const codes = error instanceof AggregateError ? error.errors.map((inner: { code?: unknown }) => inner.code).filter(Boolean) : [];
  const label = typeof code === 'string' && code.length > 0 ? code : codes.length > 0 ? String(codes[0]) : '';
  const message = error.message || (error instanceof AggregateError ? 'every address refused' : error.name);
  return label && !message.includes(label) ? `${label}: ${message}` : message;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
