import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { AppError } from '../../../../src/errors/app-error.js';
import { isPermanent, isRetryable } from '../../../../src/errors/classify.js';
import { createGithubClient, type GithubClientOptions } from '../../../../src/effects/github/create-github-client.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { createMetrics, type Metrics } from '../../../../src/observability/metrics.js';
import {
  githubGraphqlError,
  startGithubGraphqlDouble,
  type GithubGraphqlDouble,
} from '../../../helpers/github-graphql-double.js';
import { waitFor } from '../../../helpers/wait-for.js';

const TOKEN = 'ghp_unitTestToken0123456789abcdef';
const PR = { owner: 'octo', repo: 'widgets', number: 7 };

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    return error as AppError;
  }
  expect.fail('expected the call to reject');
}

async function callCount(metrics: Metrics, operation: string, outcome: string): Promise<number> {
  const metric = await metrics.githubApiCalls.get();
  return metric.values.find((entry) => entry.labels.operation === operation && entry.labels.outcome === outcome)?.value ?? 0;
}

describe('createGithubClient', function () {
  this.timeout(30_000);
  let double: GithubGraphqlDouble;
  let metrics: Metrics;
  let logLines: string[];
  let clock: number;

  const makeClient = (overrides: Partial<GithubClientOptions> = {}) =>
    createGithubClient({
      graphqlUrl: double.url,
      auth: { kind: 'token', token: TOKEN },
      // No `secrets` on purpose: the client itself must keep the token out of its logs.
      logger: createLogger({ level: 'trace', output: { write: (line: string) => logLines.push(line) > 0 } }),
      metrics,
      now: () => clock,
      ...overrides,
    });

  before(async () => {
    double = await startGithubGraphqlDouble();
  });

  after(async () => {
    await double.close();
  });

  beforeEach(() => {
    double.requests.length = 0;
    double.invalidQueries.length = 0;
    double.setMocks({}, { Repository: { pullRequest: () => ({ title: 'Add a cache', headRefOid: 'a'.repeat(40) }) } });
    double.setFailure(false);
    double.setRateLimited(false);
    double.setLatencyMs(0);
    clock = Date.now();
    double.setRateLimitHeaders({ remaining: 4000, resetAt: Math.floor(clock / 1000) + 3600 });
    metrics = createMetrics({ defaultMetrics: false });
    logLines = [];
  });

  afterEach(() => {
    expect(double.invalidQueries).to.deep.equal([]);
  });

  it('sends the token as a bearer authorization and never logs it', async () => {
    const client = makeClient();
    const details = await client.pullRequest(PR);
    double.setFailure(500);
    await rejection(client.pullRequest(PR));

    expect(details.title).to.equal('Add a cache');
    expect(double.requests).to.have.length(2);
    expect(double.requests[0]?.headers.authorization).to.equal(`bearer ${TOKEN}`);
    expect(logLines.length).to.be.greaterThan(1);
    expect(logLines.join('')).not.to.include(TOKEN);
  });

  it('counts calls by operation and outcome and reports the remaining rate limit', async () => {
    const client = makeClient();
    await client.pullRequest(PR);
    await client.pullRequest(PR);
    double.setFailure(502);
    await rejection(client.pullRequest(PR));

    expect(await callCount(metrics, 'pull_request', 'ok')).to.equal(2);
    expect(await callCount(metrics, 'pull_request', 'dependency_failed')).to.equal(1);
    expect((await metrics.githubRateLimitRemaining.get()).values[0]?.value).to.equal(3998);
  });

  it('stops calling once the headers say no call remains, until the reset', async () => {
    const resetAt = Math.floor(clock / 1000) + 120;
    double.setRateLimitHeaders({ remaining: 0, resetAt });
    const client = makeClient();

    const answered = await client.pullRequest(PR);
    const refused = await rejection(client.pullRequest(PR));

    expect(answered.title).to.equal('Add a cache');
    expect(refused.code).to.equal('rate_limited');
    expect(refused.retryAfterSeconds).to.equal(resetAt - Math.floor(clock / 1000));
    expect(double.requests).to.have.length(1);
    expect((await metrics.githubRateLimitRemaining.get()).values[0]?.value).to.equal(0);

    clock = resetAt * 1000 + 1;
    double.setRateLimitHeaders({ remaining: 5000, resetAt: resetAt + 3600 });
    await client.pullRequest(PR);
    expect(double.requests).to.have.length(2);
  });

  it('treats a GraphQL RATE_LIMITED error in an HTTP 200 as rate limiting, waiting until the reset', async () => {
    const resetAt = Math.floor(clock / 1000) + 90;
    double.setRateLimitHeaders({ remaining: 10, resetAt });
    double.setRateLimited(1);
    const client = makeClient();

    const error = await rejection(client.pullRequest(PR));

    expect(error.code).to.equal('rate_limited');
    expect(isRetryable(error)).to.equal(true);
    expect(isPermanent(error)).to.equal(false);
    expect(error.retryAfterSeconds).to.be.within(89, 90);
    const refused = await rejection(client.pullRequest(PR));
    expect(refused.code).to.equal('rate_limited');
    expect(double.requests).to.have.length(1);
  });

  it('waits 60 seconds after RATE_LIMITED when GitHub sends no reset header', async () => {
    double.setRateLimitHeaders(false);
    double.setRateLimited(1);
    const client = makeClient();

    const error = await rejection(client.pullRequest(PR));

    expect(error.code).to.equal('rate_limited');
    expect(error.retryAfterSeconds).to.equal(60);
    clock += 61_000;
    expect((await client.pullRequest(PR)).title).to.equal('Add a cache');
  });

  it('honours retry-after on a secondary rate limit (HTTP 403) and refuses calls meanwhile', async () => {
    double.setFailure(403, { 'retry-after': '30' });
    const client = makeClient();

    const error = await rejection(client.pullRequest(PR));
    double.setFailure(false);
    const refused = await rejection(client.pullRequest(PR));

    expect(error.code).to.equal('rate_limited');
    expect(error.retryAfterSeconds).to.equal(30);
    expect(refused.code).to.equal('rate_limited');
    expect(double.requests).to.have.length(1);
    clock += 30_001;
    await client.pullRequest(PR);
    expect(double.requests).to.have.length(2);
  });

  it('answers HTTP 429 as rate limiting', async () => {
    double.setFailure(429);
    const error = await rejection(makeClient().pullRequest(PR));
    expect(error.code).to.equal('rate_limited');
    expect(error.retryAfterSeconds).to.be.a('number');
  });

  it('maps HTTP 500 to a retryable dependency_failed', async () => {
    double.setFailure(500);
    const error = await rejection(makeClient().pullRequest(PR));
    expect(error.code).to.equal('dependency_failed');
    expect(isRetryable(error)).to.equal(true);
  });

  it('maps an unreachable server to dependency_failed', async () => {
    const gone = await startGithubGraphqlDouble();
    await gone.close();
    const error = await rejection(makeClient({ graphqlUrl: gone.url }).pullRequest(PR));
    expect(error.code).to.equal('dependency_failed');
  });

  it('maps a slow answer to dependency_timeout after timeoutMs', async () => {
    double.setLatencyMs(500);
    const error = await rejection(makeClient({ timeoutMs: 100 }).pullRequest(PR));
    expect(error.code).to.equal('dependency_timeout');
    expect(isRetryable(error)).to.equal(true);
    // The double records a request only once its latency has passed: the client gave up before the answer existed.
    expect(double.requests).to.have.length(0);
    // Let the late request land here rather than in a later test's `double.requests`.
    await waitFor(() => double.requests.length === 1, { message: 'the slow request to finish' });
  });

  it('maps NOT_FOUND and FORBIDDEN GraphQL errors to permanent_failure', async () => {
    const client = makeClient();
    for (const type of ['NOT_FOUND', 'FORBIDDEN']) {
      double.setMocks({}, {
        Repository: {
          pullRequest: () => {
            throw githubGraphqlError(type, 'Could not resolve to a PullRequest with the number of 7.');
          },
        },
      });
      const error = await rejection(client.pullRequest(PR));
      expect(error.code, type).to.equal('permanent_failure');
      expect(isPermanent(error), type).to.equal(true);
      expect(error.details?.graphqlErrorTypes).to.deep.equal([type]);
    }
  });

  it('maps HTTP 401 (bad credentials) to permanent_failure', async () => {
    double.setFailure(401);
    const error = await rejection(makeClient().pullRequest(PR));
    expect(error.code).to.equal('permanent_failure');
  });

  it('turns an answer of an unexpected shape into a clear permanent_failure', async () => {
    const drifted: typeof fetch = async () =>
      new Response(JSON.stringify({ data: { repository: { pullRequest: { title: 42 } } } }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    const error = await rejection(makeClient({ fetch: drifted }).pullRequest(PR));
    expect(error.code).to.equal('permanent_failure');
    expect(error.message).to.match(/unexpected shape.*repository\.pullRequest\.title/);
  });

  it('fails every call with not_configured when there are no credentials, without calling GitHub', async () => {
    const client = makeClient({ auth: { kind: 'none' } });

    const errors = await Promise.all([
      rejection(client.pullRequest(PR)),
      rejection(client.checkRun({ nodeId: 'CR_1' })),
      rejection(client.checkSuite({ nodeId: 'CS_1' })),
      rejection(client.pushCommits({ owner: 'octo', repo: 'widgets', sha: 'b'.repeat(40) })),
    ]);

    expect(client.configured).to.equal(false);
    expect(errors.map((error) => error.code)).to.deep.equal(Array(4).fill('not_configured'));
    expect(errors[0]?.message).to.equal('GitHub credentials are not configured');
    expect(double.requests).to.have.length(0);
    expect(client.lastCall()).to.equal(undefined);
  });

  it("reports the last call's time and outcome, and not local refusals", async () => {
    const client = makeClient();
    expect(client.lastCall()).to.equal(undefined);

    await client.pullRequest(PR);
    expect(client.lastCall()).to.deep.equal({ at: new Date(clock), outcome: 'ok' });

    clock += 1_000;
    double.setFailure(429, { 'retry-after': '10' });
    await rejection(client.pullRequest(PR));
    expect(client.lastCall()).to.deep.equal({ at: new Date(clock), outcome: 'rate_limited' });

    const refusedAt = clock + 1_000;
    clock = refusedAt;
    await rejection(client.pullRequest(PR));
    expect(client.lastCall()?.at.getTime()).to.be.below(refusedAt);
  });

  describe('with GitHub App credentials', () => {
    const rsa = () =>
      generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
    const keys = rsa();
    let appDouble: GithubGraphqlDouble;

    const makeAppClient = (privateKey = keys.privateKey) =>
      makeClient({ graphqlUrl: appDouble.url, auth: { kind: 'app', appId: '99', privateKey } });

    before(async () => {
      appDouble = await startGithubGraphqlDouble({
        appPublicKey: keys.publicKey,
        resolvers: { Repository: { pullRequest: () => ({ title: 'From an installation' }) } },
      });
    });

    after(async () => {
      await appDouble.close();
    });

    beforeEach(() => {
      appDouble.requests.length = 0;
      appDouble.tokenRequests.length = 0;
      appDouble.setRateLimitHeaders({ remaining: 4000, resetAt: Math.floor(clock / 1000) + 3600 });
    });

    afterEach(() => {
      expect(appDouble.invalidQueries).to.deep.equal([]);
    });

    it("calls with the event's installation token and keeps the key and token out of the logs", async () => {
      const client = makeAppClient();

      const details = await client.pullRequest({ ...PR, installationId: 42 });
      await client.pullRequest({ ...PR, installationId: 42 });

      const issued = appDouble.tokenRequests[0]?.token;
      expect(details.title).to.equal('From an installation');
      expect(appDouble.tokenRequests).to.have.length(1);
      expect(issued).to.be.a('string');
      expect(appDouble.requests.map((request) => request.headers.authorization)).to.deep.equal([
        `bearer ${issued}`,
        `bearer ${issued}`,
      ]);
      const logs = logLines.join('');
      expect(logLines.length).to.be.greaterThan(0);
      expect(logs).not.to.include(String(issued));
      expect(logs).not.to.include('PRIVATE KEY');
    });

    it('keeps one rate limit per installation: an exhausted one does not stop another', async () => {
      const client = makeAppClient();
      appDouble.setRateLimitHeaders({ remaining: 0, resetAt: Math.floor(clock / 1000) + 300 });
      await client.pullRequest({ ...PR, installationId: 1 });
      appDouble.setRateLimitHeaders({ remaining: 4000, resetAt: Math.floor(clock / 1000) + 3600 });

      const refused = await rejection(client.pullRequest({ ...PR, installationId: 1 }));
      const other = await client.pullRequest({ ...PR, installationId: 2 });

      expect(refused.code).to.equal('rate_limited');
      expect(other.title).to.equal('From an installation');
      expect(appDouble.requests).to.have.length(2);
    });

    it('fails permanently without an installation id, before any request', async () => {
      const error = await rejection(makeAppClient().pullRequest(PR));
      expect(error.code).to.equal('permanent_failure');
      expect(appDouble.requests).to.have.length(0);
      expect(appDouble.tokenRequests).to.have.length(0);
    });

    it('fails permanently when GitHub refuses the App JWT (a key the App does not own)', async () => {
      const client = makeAppClient(rsa().privateKey);
      const error = await rejection(client.pullRequest({ ...PR, installationId: 42 }));
      expect(error.code).to.equal('permanent_failure');
      expect(appDouble.tokenRequests).to.have.length(1);
      expect(appDouble.requests).to.have.length(0);
      expect(client.lastCall()?.outcome).to.equal('permanent_failure');
    });
  });
});
