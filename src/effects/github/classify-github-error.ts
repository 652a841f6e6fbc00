import { GraphqlResponseError } from '@octokit/graphql';
import { ZodError } from 'zod';
import { AppError, isAppError } from '../../errors/app-error.js';
import { headerNumber, type ResponseHeaders } from './create-rate-limit-gate.js';

export interface GithubErrorContext {
  /** The operation label, for messages. */
  operation: string;
  /** The current time in epoch milliseconds, to turn reset times into waits. */
  nowMs: number;
}

/** GitHub's answer when neither `retry-after` nor `x-ratelimit-reset` says how long to wait. */
const DEFAULT_RETRY_AFTER_SECONDS = 60;
/** GraphQL error types that describe a passing server condition; every other typed error recurs. */
const TRANSIENT_GRAPHQL_TYPES = new Set(['INTERNAL', 'SERVICE_UNAVAILABLE', 'TIMEOUT']);

interface HttpError {
  status: number;
  response?: { headers: ResponseHeaders };
}

/**
 * Translates anything the GraphQL call threw into an AppError with a stable code, reading HTTP
 * statuses, headers and GraphQL error types (never message text):
 * - GraphQL `RATE_LIMITED` (HTTP 200), 403/429 with `retry-after` or `x-ratelimit-remaining: 0`,
 *   and any 429 → 'rate_limited' with retryAfterSeconds;
 * - 5xx and network failures → 'dependency_failed'; timeouts → 'dependency_timeout';
 * - typed GraphQL errors (NOT_FOUND, FORBIDDEN, ...), invalid queries, 401, other 4xx and answers
 *   of an unexpected shape → 'permanent_failure'.
 */
export function classifyGithubError(error: unknown, context: GithubErrorContext): AppError {
  if (isAppError(error)) return error;
  const { operation } = context;
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'no detail';
    return new AppError('permanent_failure', `GitHub answered ${operation} with an unexpected shape (${where})`, {
      cause: error,
    });
  }
  if (error instanceof GraphqlResponseError) return fromGraphqlErrors(error, context);
  if (isTimeout(error)) {
    return new AppError('dependency_timeout', `GitHub ${operation} timed out`, { cause: error });
  }
  if (isHttpError(error)) return fromHttpStatus(error, context);
  return new AppError('dependency_failed', `GitHub ${operation} failed`, { cause: error });
}

function fromGraphqlErrors(error: GraphqlResponseError<unknown>, context: GithubErrorContext): AppError {
  const errors = (error.errors ?? []) as ReadonlyArray<{ type?: string; message?: string; locations?: unknown; extensions?: unknown }>;
  const types = errors.map((entry) => entry.type).filter((type): type is string => typeof type === 'string');
  const details = { operation: context.operation, graphqlErrorTypes: types };
  const first = errors[0]?.message ?? 'unknown error';
  if (types.includes('RATE_LIMITED')) {
    return new AppError('rate_limited', `GitHub GraphQL rate limit exceeded during ${context.operation}`, {
      cause: error,
      retryAfterSeconds: secondsUntilReset(error.headers as ResponseHeaders, context.nowMs) ?? DEFAULT_RETRY_AFTER_SECONDS,
      details,
    });
  }
  // A typed error is GitHub's verdict about this request (NOT_FOUND, FORBIDDEN, ...). An untyped one
  // with a location or an extension code is a query GitHub refused to run: our bug, not a blip.
  const permanent = errors.some(
    (entry) =>
      (entry.type !== undefined && !TRANSIENT_GRAPHQL_TYPES.has(entry.type)) ||
      (entry.type === undefined && (entry.locations !== undefined || entry.extensions !== undefined)),
  );
  return new AppError(
    permanent ? 'permanent_failure' : 'dependency_failed',
    `GitHub ${context.operation} answered with errors: ${first}`,
    { cause: error, details },
  );
}

function fromHttpStatus(error: HttpError, context: GithubErrorContext): AppError {
  const { operation, nowMs } = context;
  const { status } = error;
  const headers = error.response?.headers;
  const details = { operation, status };
  if (!headers) {
    // octokit reports a failed fetch (refused, reset, DNS) as status 500 without a response.
    return new AppError('dependency_failed', `GitHub ${operation} could not be reached`, { cause: error, details });
  }
  if (status === 403 || status === 429) {
    const retryAfter = headerNumber(headers['retry-after']);
    const exhausted = headerNumber(headers['x-ratelimit-remaining']) === 0;
    if (retryAfter !== undefined || exhausted || status === 429) {
      return new AppError('rate_limited', `GitHub rate limit exceeded during ${operation} (HTTP ${status})`, {
        cause: error,
        retryAfterSeconds: retryAfter ?? secondsUntilReset(headers, nowMs) ?? DEFAULT_RETRY_AFTER_SECONDS,
        details,
      });
    }
  }
  if (status === 401) {
    return new AppError('permanent_failure', `GitHub rejected the credentials during ${operation} (HTTP 401)`, {
      cause: error,
      details,
    });
  }
  if (status === 408) {
    return new AppError('dependency_timeout', `GitHub ${operation} timed out (HTTP 408)`, { cause: error, details });
  }
  if (status >= 500) {
    return new AppError('dependency_failed', `GitHub ${operation} failed (HTTP ${status})`, { cause: error, details });
  }
  return new AppError('permanent_failure', `GitHub refused ${operation} (HTTP ${status})`, { cause: error, details });
}

function secondsUntilReset(headers: ResponseHeaders | undefined, nowMs: number): number | undefined {
  const reset = headerNumber(headers?.['x-ratelimit-reset']);
  if (reset === undefined) return undefined;
  return Math.max(1, Math.ceil((reset * 1000 - nowMs) / 1000));
}

function isHttpError(error: unknown): error is HttpError {
  return (
    error instanceof Error && error.name === 'HttpError' && typeof (error as Partial<HttpError>).status === 'number'
  );
}

function isTimeout(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    if (current.name === 'TimeoutError' || current.name === 'AbortError') return true;
  }
  return false;
}
