// Follows Codegen's Developer API (OpenAPI 3.1, https://docs.codegen.com/api-reference/overview):
// every path lives under /v1/organizations/{org_id}, authenticated by `Authorization: Bearer <token>`;
// errors are 402 AgentRunLimitReached, 403 Permissions, 404 NotFound, 429 APIRateLimit (all
// `{message, status_code}`), 422 HTTPValidationError `{detail: [{loc, msg, type}]}`.
import { AppError } from '../../errors/app-error.js';
import { codegenResponseError } from './codegen-response-error.js';

/** The calls this service makes, each with the window Codegen documents for its rate limit. */
export const CODEGEN_OPERATIONS = {
  create_run: { fallbackRetryAfterSeconds: 60 },
  get_run: { fallbackRetryAfterSeconds: 30 },
  list_runs: { fallbackRetryAfterSeconds: 30 },
} as const;
export type CodegenOperation = keyof typeof CODEGEN_OPERATIONS;

export interface CodegenTransportOptions {
  /** API base, e.g. `https://api.codegen.com` (a trailing slash is ignored). */
  apiUrl: string;
  token?: string;
  orgId?: string;
  fetch?: typeof fetch;
  /** Per request, including reading the body. Default 15 000 ms. */
  timeoutMs?: number;
  now?: () => number;
}

export interface CodegenTransport {
  /** False without a token and an organisation id: every request then fails with `not_configured`. */
  readonly configured: boolean;
  /**
   * One request of `operation` to the organisation's `path`: a GET, or a POST of `body` as JSON.
   * Resolves to what `parse` makes of the answer's JSON; rejects only with an AppError.
   */
  request<T>(operation: CodegenOperation, path: string, body: Record<string, unknown> | undefined, parse: (body: unknown) => T | undefined): Promise<T>;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** The error of a call made without credentials; nothing is sent. */
export const codegenNotConfigured = (): AppError =>
  new AppError('not_configured', 'Codegen is not configured (CODEGEN_TOKEN and CODEGEN_ORG_ID)');

/**
 * Codegen's HTTP transport: URL, Bearer token, timeout, JSON, and the translation of every outcome
 * into an AppError. HTTP answers go through codegen-response-error.ts (a 429 is `rate_limited` with
 * its Retry-After, or the operation's documented window); a network error is `dependency_failed`
 * and a timeout `dependency_timeout`, both marked `outcomeUnknown` for a create, which may have
 * started a run all the same; an answer `parse` cannot read is `dependency_failed`. The token is
 * sent only in the Authorization header and scrubbed from every message. No pacing, no metrics:
 * the actor paces its calls, the client records them.
 */
export function createCodegenTransport(options: CodegenTransportOptions): CodegenTransport {
  const { token, orgId } = options;
  const baseUrl = options.apiUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return {
    configured: Boolean(token) && Boolean(orgId),
    async request(operation, path, body, parse) {
      if (!token || !orgId) throw codegenNotConfigured();
      const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const init: RequestInit = { method: body === undefined ? 'GET' : 'POST', headers, signal: AbortSignal.timeout(timeoutMs) };
      if (body !== undefined) init.body = JSON.stringify(body);
      const url = `${baseUrl}/v1/organizations/${encodeURIComponent(orgId)}${path}`;
      // A create that failed in transit may still have started a run: callers must not assume it did not.
      const transitDetails = { operation, outcomeUnknown: operation === 'create_run' };
      let response: Response;
      let answer: unknown;
      try {
        response = await doFetch(url, init);
        answer = parseJson(await response.text());
      } catch (error) {
        if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
          throw new AppError('dependency_timeout', `Codegen ${operation} timed out after ${timeoutMs} ms`, { cause: error, details: transitDetails });
        }
        throw new AppError('dependency_failed', `Codegen ${operation} failed: network error`, { cause: error, details: transitDetails });
      }
      if (!response.ok) {
        throw codegenResponseError({
          operation,
          status: response.status,
          body: answer,
          retryAfter: response.headers.get('retry-after'),
          fallbackRetryAfterSeconds: CODEGEN_OPERATIONS[operation].fallbackRetryAfterSeconds,
          now: now(),
          token,
        });
      }
      const parsed = parse(answer);
      if (parsed === undefined) {
        const message = `Codegen ${operation} answered HTTP ${response.status} with an unexpected body`;
        throw new AppError('dependency_failed', message, { details: { operation, httpStatus: response.status } });
      }
      return parsed;
    },
  };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
