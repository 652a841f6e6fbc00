import { isAppError } from './app-error.js';
import { ERROR_CODES } from './error-codes.js';

/**
 * Whether trying again later may succeed. Unknown errors count as retryable: losing an event
 * to a bug we could fix and redrive is worse than retrying it a few times.
 */
export function isRetryable(error: unknown): boolean {
  if (isAppError(error)) return ERROR_CODES[error.code].retryable;
  return true;
}

/** The opposite of {@link isRetryable}: the error will recur on every attempt. */
export function isPermanent(error: unknown): boolean {
  return !isRetryable(error);
}

/** A short, safe description of any thrown value for task rows and logs. */
export function describeError(error: unknown): string {
  if (isAppError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
