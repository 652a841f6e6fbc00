import { isDatabaseUnavailable } from '../effects/db/is-database-unavailable.js';
import { isAppError } from '../errors/app-error.js';
import { isRetryable } from '../errors/classify.js';

// Told to wait (rate limits, open breakers, our own deferrals): waiting belongs in JetStream, not here.
const WAIT_CODES = new Set(['rate_limited', 'circuit_open', 'deferred']);
// PostgreSQL's "try the transaction again": serialization failure, deadlock.
const RETRY_TRANSACTION = new Set(['40001', '40P01']);

/**
 * Whether a failed batch is worth trying again at once, in process, before splitting it or
 * handing its messages back to JetStream: a blip of a dependency (a timeout, a dropped connection,
 * a deadlock), not an error in the data and not an instruction to wait.
 */
export function isTransientBatchFailure(error: unknown): boolean {
  if (isAppError(error)) return isRetryable(error) && !WAIT_CODES.has(error.code);
  if (isDatabaseUnavailable(error)) return true;
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const e = current as { code?: unknown; sqlState?: unknown; cause?: unknown };
    const code = typeof e.sqlState === 'string' ? e.sqlState : typeof e.code === 'string' ? e.code : undefined;
    if (code && RETRY_TRANSACTION.has(code)) return true;
    current = e.cause;
  }
  return false;
}
