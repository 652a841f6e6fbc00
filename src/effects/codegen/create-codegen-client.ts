// Codegen's agent runs (https://docs.codegen.com/api-reference/overview, /agents/create-agent-run,
// /agents/get-agent-run, /agents/list-agent-runs):
//   POST /agent/run   body CreateAgentRunInput {prompt (required), images, metadata, repo_id, model};
//        rate limit 10 per minute
//   GET  /agent/run/{agent_run_id}; rate limit 60 per 30 seconds
//   GET  /agent/runs?skip&limit
//   answers AgentRunResponse {id, organization_id, status, created_at, web_url, result, summary,
//        source_type, github_pull_requests[{id, title, url, created_at, head_branch_name}], metadata}
// We send only `prompt` and `metadata` (plus `repo_id`/`model` when asked) and accept responses
// leniently (see codegen-run.ts).
import { AppError } from '../../errors/app-error.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { agentRunPageSchema, agentRunResponseSchema, toCodegenRun, type CodegenRun } from './codegen-run.js';
import { codegenNotConfigured, createCodegenTransport, type CodegenOperation, type CodegenTransportOptions } from './codegen-transport.js';
import { recordCodegenCalls, type CodegenLastCall } from './record-codegen-calls.js';

export type { CodegenRun } from './codegen-run.js';
export type { CodegenLastCall } from './record-codegen-calls.js';

/** The transport's options (API base, credentials, fetch, timeout), and where calls are recorded. */
export interface CodegenClientOptions extends CodegenTransportOptions {
  logger: Logger;
  metrics: Metrics;
}

export interface CreateCodegenRunInput {
  prompt: string;
  /** Stored with the run by Codegen; keep it small and free of secrets. */
  metadata?: Record<string, unknown>;
  /** Codegen's own repository id, when the organisation has several. */
  repoId?: number;
  model?: string;
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

/**
 * A Codegen agent API client: the API's operations over the transport (codegen-transport.ts), each
 * call recorded (record-codegen-calls.ts). Keeping to Codegen's documented limits is the caller's
 * (the Codegen actor paces its calls with `rateLimitWindow`); a 429 that still comes back is
 * `rate_limited` with its Retry-After. Arguments Codegen would refuse are refused before any call.
 */
export function createCodegenClient(options: CodegenClientOptions): CodegenClient {
  const { logger, metrics, ...transportOptions } = options;
  const transport = createCodegenTransport(transportOptions);
  const log = logger.child({ component: 'codegen_client' });
  const calls = recordCodegenCalls({ log, metrics, ...(options.now ? { now: options.now } : {}) });

  // Without credentials nothing is sent, and nothing recorded: there was no call.
  const call = <T = CodegenRun>(
    operation: CodegenOperation,
    path: string,
    body?: Record<string, unknown>,
    parse: (body: unknown) => T | undefined = parseRun as (body: unknown) => T | undefined,
  ): Promise<T> => {
    if (!transport.configured) return Promise.reject(codegenNotConfigured());
    return calls.record(operation, () => transport.request(operation, path, body, parse));
  };

  return {
    configured: transport.configured,
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
    lastCall: calls.lastCall,
  };
}

function parseRun(body: unknown): CodegenRun | undefined {
  const parsed = agentRunResponseSchema.safeParse(body);
  return parsed.success ? toCodegenRun(parsed.data) : undefined;
}
