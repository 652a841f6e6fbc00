import { AppError } from '../../errors/app-error.js';

export interface CodegenResponseErrorOptions {
  operation: 'create_run' | 'get_run' | 'list_runs';
  status: number;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** The `Retry-After` header as received, if any. */
  retryAfter: string | null;
  /** Used when a 429 carries no usable `Retry-After` (Codegen does not document one). */
  fallbackRetryAfterSeconds: number;
  /** Epoch ms, for `Retry-After` given as an HTTP date. */
  now: number;
  /** Removed from any text taken from the response, in case the API echoes it. */
  token?: string;
}

const MAX_DETAIL_CHARS = 500;

/**
 * Translates a non-2xx Codegen answer into an {@link AppError} with a stable code:
 * 402 → `payment_required` (never retried), 403/404/422 and other 4xx → `permanent_failure`
 * with the API's own explanation, 429 → `rate_limited` with `retryAfterSeconds`,
 * 5xx → `dependency_failed`. Messages never contain the token.
 */
export function codegenResponseError(options: CodegenResponseErrorOptions): AppError {
  const { operation, status } = options;
  const explanation = scrub(describeBody(options.body), options.token);
  const details = { operation, httpStatus: status };
  if (status === 402) {
    return new AppError(
      'payment_required',
      `Codegen refused the agent run: the organisation's agent run allowance is used up (HTTP 402)` +
        suffix(explanation),
      { details },
    );
  }
  if (status === 429) {
    const retryAfterSeconds =
      parseRetryAfter(options.retryAfter, options.now) ?? options.fallbackRetryAfterSeconds;
    return new AppError('rate_limited', `Codegen rate limit reached on ${operation} (HTTP 429)`, {
      retryAfterSeconds,
      details,
    });
  }
  if (status >= 500) {
    // Server-side explanations may be internal; the status is enough to decide and to retry.
    return new AppError('dependency_failed', `Codegen answered HTTP ${status} on ${operation}`, { details });
  }
  return new AppError('permanent_failure', `Codegen rejected ${operation} (HTTP ${status})${suffix(explanation)}`, {
    details,
  });
}

/** Seconds from a `Retry-After` header (delta-seconds or HTTP date), rounded up; undefined if unusable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(1, Math.ceil(Number(trimmed)));
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(1, Math.ceil((date - now) / 1000));
}

// Codegen's documented error bodies are `{message, status_code}`, except 422 which is FastAPI's
// `{detail: [{loc, msg, type}]}`; some gateways answer `{detail: "..."}`.
function describeBody(body: unknown): string {
  if (typeof body === 'string') return truncate(body.trim());
  if (body === null || typeof body !== 'object') return '';
  const record = body as Record<string, unknown>;
  const detail = record.detail;
  if (typeof detail === 'string') return truncate(detail);
  if (Array.isArray(detail)) {
    return truncate(detail.map(describeValidationItem).filter((text) => text.length > 0).join('; '));
  }
  if (typeof record.message === 'string') return truncate(record.message);
  return '';
}

function describeValidationItem(item: unknown): string {
  if (item === null || typeof item !== 'object') return typeof item === 'string' ? item : '';
  const { loc, msg } = item as { loc?: unknown; msg?: unknown };
  const where = Array.isArray(loc) ? loc.map(String).join('.') : '';
  const what = typeof msg === 'string' ? msg : '';
  return where && what ? `${where}: ${what}` : what || where;
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text;
}

function scrub(text: string, token: string | undefined): string {
  return token ? text.split(token).join('[REDACTED]') : text;
}

function suffix(explanation: string): string {
  return explanation ? `: ${explanation}` : '';
}
