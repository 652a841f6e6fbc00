// Follows Codegen's Developer API (OpenAPI 3.1, https://docs.codegen.com/api-reference/overview,
// /agents/create-agent-run and /agents/get-agent-run):
//   POST /v1/organizations/{org_id}/agent/run   body CreateAgentRunInput {prompt (required), images,
//        metadata, repo_id, model}; rate limit 10 per minute
//   GET  /v1/organizations/{org_id}/agent/run/{agent_run_id}; rate limit 60 per 30 seconds
//   both answer AgentRunResponse {id, organization_id, status, created_at, web_url, result, summary,
//        source_type, github_pull_requests[{id, title, url, created_at, head_branch_name}], metadata}
//   errors: 402 AgentRunLimitReached, 403 Permissions, 404 NotFound, 429 APIRateLimit (all
//        `{message, status_code}`), 422 HTTPValidationError `{detail: [{loc, msg, type}]}`.
//   Auth: `Authorization: Bearer <token>`.
// We send only `prompt` and `metadata` (plus `repo_id`/`model` when asked) and accept responses
// leniently (see codegen-run.ts).
import { AppError, isAppError } from '../../errors/app-error.js';
import type { ErrorCode } from '../../errors/error-codes.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { agentRunPageSchema, agentRunResponseSchema, toCodegenRun, type CodegenRun } from './codegen-run.js';
import { codegenResponseError } from './codegen-response-error.js';

export type { CodegenRun } from './codegen-run.js';

export interface CodegenClientOptions {
  /** API base, e.g. `https://api.codegen.com` (a trailing slash is ignored). */
  apiUrl: string;
  token?: string;
  orgId?: string;
  fetch?: typeof fetch;
  logger: Logger;
  metrics: Metrics;
  /** Per request, including reading the body. Default 15 000 ms. */
  timeoutMs?: number;
  now?: () => number;
}

export interface CreateCodegenRunInput {
  prompt: string;
  /** Stored with the run by Codegen; keep it small and free of secrets. */
  metadata?: Record<string, unknown>;
  /** Codegen's own repository id, when the organisation has several. */
  repoId?: number;
  model?: string;
}

/** The outcome of the last outbound call: `ok` or the error code it ended with. */
export interface CodegenLastCall {
  at: number;
  outcome: 'ok' | ErrorCode;
}

export interface CodegenClient {
  /** False without a token and an organisation id: every call then fails with `not_configured`. */
  readonly configured: boolean;
  createRun(input: CreateCodegenRunInput): Promise<CodegenRun>;
  getRun(id: number): Promise<CodegenRun>;
  /**
   * The newest run this service created for `taskId` at attempt `sinceAttempt` or later, among the
   * organisation's newest `scan` runs (List Agent Runs, matched on the metadata we send). Used after a create whose outcome
   * is unknown, so a retry adopts the run instead of starting a second one.
   */
  findRunForTask(taskId: string, sinceAttempt: number, scan?: number): Promise<CodegenRun | undefined>;
  /** For health checks, which must not call out themselves. */
  lastCall(): CodegenLastCall | undefined;
}

const DEFAULT_TIMEOUT_MS = 15_000;
// When a 429 carries no Retry-After: the documented windows (creation per minute, reads per 30 s).
const FALLBACK_RETRY_AFTER_SECONDS = { create_run: 60, get_run: 30, list_runs: 30 } as const;

/**
 * A Codegen agent API client: transport only. Keeping to Codegen's documented limits is the
 * caller's (the Codegen actor paces its calls with `rateLimitWindow`); a 429 that still comes back
 * is `rate_limited` with its Retry-After. HTTP outcomes become AppErrors
 * (see codegen-response-error.ts); network errors are `dependency_failed`, timeouts
 * `dependency_timeout`. The token is sent only in the Authorization header and never logged.
 */
export function createCodegenClient(options: CodegenClientOptions): CodegenClient {
  const { token, orgId } = options;
  const configured = Boolean(token) && Boolean(orgId);
  const baseUrl = options.apiUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const log = options.logger.child({ component: 'codegen_client' });
  const { metrics } = options;
  let last: CodegenLastCall | undefined;

  type Operation = keyof typeof FALLBACK_RETRY_AFTER_SECONDS;

  function requireConfigured(): { token: string; orgId: string } {
    if (!token || !orgId) {
      throw new AppError('not_configured', 'Codegen is not configured (CODEGEN_TOKEN and CODEGEN_ORG_ID)');
    }
    return { token, orgId };
  }

  async function call<T = CodegenRun>(
    operation: Operation,
    path: string,
    body?: Record<string, unknown>,
    parse: (body: unknown) => T | undefined = parseRun as (body: unknown) => T | undefined,
  ): Promise<T> {
    const credentials = requireConfigured();
    const started = now();
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${credentials.token}`,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit = {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      signal: AbortSignal.timeout(timeoutMs),
    };
    if (body !== undefined) init.body = JSON.stringify(body);
    const url = `${baseUrl}/v1/organizations/${encodeURIComponent(credentials.orgId)}${path}`;
    try {
      const result = await send(operation, url, init, parse);
      last = { at: now(), outcome: 'ok' };
      log.debug({ operation, durationMs: now() - started }, 'codegen call succeeded');
      return result;
    } catch (error) {
      const appError = isAppError(error)
        ? error
        : new AppError('dependency_failed', `Codegen ${operation} failed`, { cause: error });
      last = { at: now(), outcome: appError.code };
      if (appError.code === 'rate_limited') metrics.rateLimited.inc({ scope: 'codegen_api' });
      const httpStatus = appError.details?.httpStatus;
      log.warn({ operation, code: appError.code, httpStatus, durationMs: now() - started }, 'codegen call failed');
      throw appError;
    }
  }

  async function send<T>(operation: Operation, url: string, init: RequestInit, parse: (body: unknown) => T | undefined): Promise<T> {
    // A create that failed in transit may still have started a run: callers must not assume it did not.
    const transitDetails = { operation, outcomeUnknown: operation === 'create_run' };
    let response: Response;
    let body: unknown;
    try {
      response = await doFetch(url, init);
      body = parseJson(await response.text());
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new AppError('dependency_timeout', `Codegen ${operation} timed out after ${timeoutMs} ms`, {
          cause: error,
          details: transitDetails,
        });
      }
      throw new AppError('dependency_failed', `Codegen ${operation} failed: network error`, {
        cause: error,
        details: transitDetails,
      });
    }
    if (!response.ok) {
      throw codegenResponseError({
        operation,
        status: response.status,
        body,
        retryAfter: response.headers.get('retry-after'),
        fallbackRetryAfterSeconds: FALLBACK_RETRY_AFTER_SECONDS[operation],
        now: now(),
        ...(token === undefined ? {} : { token }),
      });
    }
    const parsed = parse(body);
    if (parsed === undefined) {
      const message = `Codegen ${operation} answered HTTP ${response.status} with an unexpected body`;
      throw new AppError('dependency_failed', message, { details: { operation, httpStatus: response.status } });
    }
    return parsed;
  }

  return {
    configured,
    async createRun(input) {
      if (typeof input.prompt !== 'string' || input.prompt.trim() === '') {
        throw new AppError('permanent_failure', 'A Codegen agent run needs a non-empty prompt');
      }
      const body: Record<string, unknown> = { prompt: input.prompt };
      if (input.metadata !== undefined) body.metadata = input.metadata;
      if (input.repoId !== undefined) body.repo_id = input.repoId;
      if (input.model !== undefined) body.model = input.model;
      const run = await call('create_run', '/agent/run', body);
      log.info({ runId: run.id, status: run.status, webUrl: run.webUrl }, 'codegen agent run created');
      return run;
    },
    async getRun(id) {
      if (!Number.isSafeInteger(id) || id <= 0) {
        throw new AppError('permanent_failure', `Invalid Codegen agent run id: ${String(id)}`);
      }
      return call('get_run', `/agent/run/${id}`);
    },
    async findRunForTask(taskId, sinceAttempt, scan = 100) {
      const page = await call('list_runs', `/agent/runs?skip=0&limit=${Math.min(Math.max(scan, 1), 100)}`, undefined, (body) => {
        const parsed = agentRunPageSchema.safeParse(body);
        return parsed.success ? parsed.data.items.map(toCodegenRun) : undefined;
      });
      return page.find(
        (run) => run.metadata?.task_id === taskId && typeof run.metadata.attempt === 'number' && run.metadata.attempt >= sinceAttempt,
      );
    },
    lastCall() {
      return last === undefined ? undefined : { ...last };
    },
  };
}

function parseRun(body: unknown): CodegenRun | undefined {
  const parsed = agentRunResponseSchema.safeParse(body);
  return parsed.success ? toCodegenRun(parsed.data) : undefined;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
