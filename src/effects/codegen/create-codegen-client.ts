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
import { createWindowLimiter } from '../../operators/window-limiter.js';
import { agentRunPageSchema, agentRunResponseSchema, toCodegenRun, type CodegenRun } from './codegen-run.js';
import { codegenResponseError } from './codegen-response-error.js';
import { isTerminalCodegenState } from './normalize-codegen-status.js';

export type { CodegenRun } from './codegen-run.js';

/** A window limit: at most `limit` calls per `windowMs`. */
export interface CodegenRateLimit {
  limit: number;
  windowMs: number;
}

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
  /** Agent creation. Default Codegen's documented 10 per 60 000 ms. */
  createLimit?: CodegenRateLimit;
  /** Reading runs. Default Codegen's documented 60 per 30 000 ms. */
  readLimit?: CodegenRateLimit;
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
const DEFAULT_CREATE_LIMIT: CodegenRateLimit = { limit: 10, windowMs: 60_000 };
const DEFAULT_READ_LIMIT: CodegenRateLimit = { limit: 60, windowMs: 30_000 };
const COUNTED_TERMINAL_RUNS = 1_000;

/**
 * A Codegen agent API client. Each call first takes a slot from a local window limiter sized to
 * Codegen's documented limits, so the service never trips them: without a slot it throws
 * `rate_limited` (with `retryAfterSeconds`) and makes no request. HTTP outcomes become AppErrors
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
  const createLimit = options.createLimit ?? DEFAULT_CREATE_LIMIT;
  const readLimit = options.readLimit ?? DEFAULT_READ_LIMIT;
  const limiterFor = (limit: CodegenRateLimit, scope: string) => ({
    windowMs: limit.windowMs,
    limiter: createWindowLimiter({ limit: limit.limit, windowMs: limit.windowMs, now }),
    scope,
  });
  const limiters = {
    create_run: limiterFor(createLimit, 'codegen_create'),
    get_run: limiterFor(readLimit, 'codegen_read'),
    list_runs: limiterFor(readLimit, 'codegen_read'),
  };
  const log = options.logger.child({ component: 'codegen_client' });
  const { metrics } = options;
  // Terminal statuses are counted once per run, however often a follower polls it afterwards.
  const countedTerminal = new Set<number>();
  let last: CodegenLastCall | undefined;

  type Operation = keyof typeof limiters;

  function requireConfigured(): { token: string; orgId: string } {
    if (!token || !orgId) {
      throw new AppError('not_configured', 'Codegen is not configured (CODEGEN_TOKEN and CODEGEN_ORG_ID)');
    }
    return { token, orgId };
  }

  function takeSlot(operation: Operation): void {
    const { limiter, scope, windowMs } = limiters[operation];
    const slot = limiter.tryAcquire();
    if (slot.allowed) return;
    metrics.rateLimited.inc({ scope });
    const retryAfterSeconds = Math.max(1, Math.ceil(slot.retryAfterMs / 1000));
    log.debug({ operation, retryAfterSeconds, windowMs }, 'codegen call held back by the local rate limit');
    const message = `Codegen ${operation} rate limit reached locally; retry in ${retryAfterSeconds} s`;
    throw new AppError('rate_limited', message, { retryAfterSeconds, details: { operation, local: true } });
  }

  async function call<T = CodegenRun>(
    operation: Operation,
    path: string,
    body?: Record<string, unknown>,
    parse: (body: unknown) => T | undefined = parseRun as (body: unknown) => T | undefined,
  ): Promise<T> {
    const credentials = requireConfigured();
    takeSlot(operation);
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
        fallbackRetryAfterSeconds: Math.ceil(limiters[operation].windowMs / 1000),
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

  function countTerminal(run: CodegenRun): void {
    if (!isTerminalCodegenState(run.state) || countedTerminal.has(run.id)) return;
    if (countedTerminal.size >= COUNTED_TERMINAL_RUNS) countedTerminal.clear();
    countedTerminal.add(run.id);
    metrics.codegenRuns.inc({ status: run.state });
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
      metrics.codegenRuns.inc({ status: 'created' });
      log.info({ runId: run.id, status: run.status, webUrl: run.webUrl }, 'codegen agent run created');
      countTerminal(run);
      return run;
    },
    async getRun(id) {
      if (!Number.isSafeInteger(id) || id <= 0) {
        throw new AppError('permanent_failure', `Invalid Codegen agent run id: ${String(id)}`);
      }
      const run = await call('get_run', `/agent/run/${id}`);
      countTerminal(run);
      return run;
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
