import { graphql } from '@octokit/graphql';
import { AppError, isAppError } from '../../errors/app-error.js';
import type { ErrorCode } from '../../errors/error-codes.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { classifyGithubError } from './classify-github-error.js';
import { createGithubAuth, type GithubAuthConfig } from './create-github-auth.js';
import { createRateLimitGate, type ResponseHeaders } from './create-rate-limit-gate.js';
import { checkRunQuery, type CheckRunDetails, type CheckRunQueryInput } from './queries/check-run-query.js';
import { checkSuiteQuery, type CheckSuiteDetails, type CheckSuiteQueryInput } from './queries/check-suite-query.js';
import type { GithubQuery } from './queries/github-query.js';
import { pullRequestQuery, type PullRequestDetails, type PullRequestQueryInput } from './queries/pull-request-query.js';
import { pushCommitsQuery, type PushCommits, type PushCommitsQueryInput } from './queries/push-commits-query.js';

export interface GithubClientOptions {
  /** The full GraphQL endpoint: https://api.github.com/graphql, or https://ghes.example/api/graphql. */
  graphqlUrl: string;
  auth: GithubAuthConfig;
  /** Replaces the global fetch (tests, proxies). */
  fetch?: typeof fetch;
  logger: Logger;
  metrics: Metrics;
  /** Bound on each HTTP request, installation-token requests included. Default 10 000 ms. */
  timeoutMs?: number;
  /** Clock in epoch milliseconds, for rate-limit resets. Default Date.now. */
  now?: () => number;
}

/** On whose behalf a call is made: the event's GitHub App installation (required with App auth). */
export interface InstallationScope {
  installationId?: number;
}

/** The last call that reached (or tried to reach) GitHub, for /health, which makes no call itself. */
export interface GithubLastCall {
  at: Date;
  outcome: 'ok' | ErrorCode;
}

/**
 * The GitHub reads the analyses need. Every method rejects with an AppError whose code says what
 * to do next: 'rate_limited' (with retryAfterSeconds), 'dependency_failed', 'dependency_timeout',
 * 'permanent_failure' or 'not_configured'. The client neither retries nor breaks circuits: the
 * actor wraps calls with the shared operators.
 */
export interface GithubClient {
  /** False when no credentials were given: every call rejects with 'not_configured'. */
  readonly configured: boolean;
  pullRequest(input: PullRequestQueryInput & InstallationScope): Promise<PullRequestDetails>;
  checkRun(input: CheckRunQueryInput & InstallationScope): Promise<CheckRunDetails>;
  checkSuite(input: CheckSuiteQueryInput & InstallationScope): Promise<CheckSuiteDetails>;
  pushCommits(input: PushCommitsQueryInput & InstallationScope): Promise<PushCommits>;
  lastCall(): GithubLastCall | undefined;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** What a call can end as: answered, or the error code it failed with. */
const GITHUB_CALL_OUTCOMES = ['ok', 'rate_limited', 'dependency_failed', 'dependency_timeout', 'permanent_failure', 'not_configured'] as const;

type OctokitSend = (options: unknown) => Promise<{ headers: ResponseHeaders }>;

/**
 * Creates the {@link GithubClient} on @octokit/graphql. Each call counts
 * `githubApiCalls{operation,outcome}` and reports `x-ratelimit-remaining` in
 * `githubRateLimitRemaining`. Once GitHub says a bucket (the token, or one App installation) is
 * exhausted, by headers, a secondary-limit `retry-after` or a GraphQL `RATE_LIMITED` error, calls
 * from that bucket are refused locally with 'rate_limited' until the reset, without a request.
 */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const baseFetch = options.fetch ?? globalThis.fetch;
  const timedFetch: typeof fetch = (input, init) =>
    baseFetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
  const logger = options.logger.child({ component: 'github-client' });
  const { metrics } = options;
  // Every (operation, outcome) series exists from the start at 0, so rate() and increase() see the
  // first call of each kind (a series born at 1 shows no increase).
  for (const { operation } of [pullRequestQuery, checkRunQuery, checkSuiteQuery, pushCommitsQuery]) {
    for (const outcome of GITHUB_CALL_OUTCOMES) metrics.githubApiCalls.inc({ operation, outcome }, 0);
  }
  const gate = createRateLimitGate({ now });
  const auth = createGithubAuth({ auth: options.auth, graphqlUrl: options.graphqlUrl, fetch: timedFetch, logger });
  const client = graphql.defaults({ url: options.graphqlUrl, request: { fetch: timedFetch } });
  let last: GithubLastCall | undefined;

  const observeRateLimit = (bucket: string) => {
    const observe = (headers: ResponseHeaders | undefined): void => {
      if (!headers) return;
      const { remaining, resetAtMs } = gate.observe(bucket, headers);
      if (remaining === undefined) return;
      metrics.githubRateLimitRemaining.set(remaining);
      if (remaining === 0) {
        logger.warn({ bucket, resetAt: resetAtMs && new Date(resetAtMs).toISOString() }, 'GitHub rate limit exhausted');
      }
    };
    return async (send: OctokitSend, requestOptions: unknown) => {
      try {
        const response = await send(requestOptions);
        observe(response.headers);
        return response;
      } catch (error) {
        observe((error as { response?: { headers?: ResponseHeaders } }).response?.headers);
        throw error;
      }
    };
  };

  async function execute<Input, Result>(
    query: GithubQuery<Input, Result>,
    input: Input,
    installationId: number | undefined,
  ): Promise<Result> {
    const { operation } = query;
    const started = now();
    let bucket: string | undefined;
    // Set once a request may have left the process; errors before that are our own refusals.
    let reachedGithub = false;
    try {
      const credentials = await auth.credentials(installationId);
      bucket = credentials.bucket;
      const waitSeconds = gate.waitSeconds(bucket);
      if (waitSeconds !== undefined) {
        throw new AppError('rate_limited', `GitHub rate limit exhausted; calls resume in ${waitSeconds}s`, {
          retryAfterSeconds: waitSeconds,
          details: { operation, refusedLocally: true },
        });
      }
      reachedGithub = true;
      const data = await client(query.query, {
        operationName: query.operationName,
        ...query.variables(input),
        headers: { authorization: credentials.authorization },
        request: { hook: observeRateLimit(bucket) },
      });
      const result = query.toResult(data, input);
      settle(operation, 'ok', reachedGithub);
      logger.debug({ operation, durationMs: now() - started }, 'GitHub call succeeded');
      return result;
    } catch (error) {
      // An installation-token request that failed threw octokit's error, not ours: it reached GitHub.
      const remote = reachedGithub || !isAppError(error);
      const appError = classifyGithubError(error, { operation, nowMs: now() });
      if (appError.code === 'rate_limited' && remote && bucket !== undefined) {
        gate.block(bucket, now() + (appError.retryAfterSeconds ?? 60) * 1000);
      }
      settle(operation, appError.code, remote);
      logFailure(appError, operation, now() - started, remote);
      throw appError;
    }
  }

  function settle(operation: string, outcome: GithubLastCall['outcome'], remote: boolean): void {
    metrics.githubApiCalls.inc({ operation, outcome });
    // A local refusal (no credentials, rate-limit gate) says nothing new about GitHub's health.
    if (remote) last = { at: new Date(now()), outcome };
  }

  function logFailure(error: AppError, operation: string, durationMs: number, remote: boolean): void {
    const fields = { operation, code: error.code, retryAfterSeconds: error.retryAfterSeconds, durationMs };
    // Local refusals repeat for every queued message; the condition itself was logged once.
    if (remote) logger.warn(fields, error.message);
    else logger.debug(fields, error.message);
  }

  return {
    configured: auth.configured,
    pullRequest: ({ installationId, ...input }) => execute(pullRequestQuery, input, installationId),
    checkRun: ({ installationId, ...input }) => execute(checkRunQuery, input, installationId),
    checkSuite: ({ installationId, ...input }) => execute(checkSuiteQuery, input, installationId),
    pushCommits: ({ installationId, ...input }) => execute(pushCommitsQuery, input, installationId),
    lastCall: () => (last === undefined ? undefined : { at: new Date(last.at), outcome: last.outcome }),
  };
}
