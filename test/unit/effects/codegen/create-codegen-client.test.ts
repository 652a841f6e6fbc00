import { expect } from 'chai';
import { AppError } from '../../../../src/errors/app-error.js';
import { isRetryable } from '../../../../src/errors/classify.js';
import { createCodegenClient, type CodegenClientOptions } from '../../../../src/effects/codegen/create-codegen-client.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { createMetrics, type Metrics } from '../../../../src/observability/metrics.js';
import { startCodegenDouble, type CodegenDouble } from '../../../helpers/codegen-api-double.js';

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the promise to reject');
}

async function counterValue(metrics: Metrics, name: 'codegenRuns' | 'rateLimited', labels: Record<string, string>): Promise<number> {
  const { values } = await metrics[name].get();
  const match = values.find((value) =>
    Object.entries(labels).every(([key, expected]) => (value.labels as Record<string, string | number | undefined>)[key] === expected),
  );
  return match?.value ?? 0;
}

describe('createCodegenClient', () => {
  let clock: number;
  let double: CodegenDouble;
  let metrics: Metrics;
  let lines: string[];

  const now = (): number => clock;

  function client(overrides: Partial<CodegenClientOptions> = {}) {
    return createCodegenClient({
      apiUrl: `${double.url}/`,
      token: double.token,
      orgId: double.orgId,
      logger: createLogger({ level: 'trace', output: { write: (line: string) => lines.push(line) > 0 } }),
      metrics,
      now,
      ...overrides,
    });
  }

  beforeEach(async () => {
    clock = Date.UTC(2025, 0, 1);
    double = await startCodegenDouble({ now });
    metrics = createMetrics({ defaultMetrics: false });
    lines = [];
  });

  afterEach(async () => {
    await double.close();
  });

  it('creates a run with a Bearer token and the documented body, and returns its id, status and web URL', async () => {
    const codegen = client();
    const run = await codegen.createRun({ prompt: 'Fix the failing build', metadata: { delivery_id: 'd-1' } });

    expect(run).to.deep.equal({ id: 1000, status: 'ACTIVE', state: 'running', webUrl: 'https://codegen.com/agent/trace/1000', createdAt: new Date(clock).toISOString(), metadata: { delivery_id: 'd-1' } });
    const [request] = double.requests;
    expect(request?.method).to.equal('POST');
    expect(request?.path).to.equal(`/v1/organizations/${double.orgId}/agent/run`);
    expect(request?.headers.authorization).to.equal(`Bearer ${double.token}`);
    expect(request?.headers['content-type']).to.equal('application/json');
    expect(request?.body).to.deep.equal({ prompt: 'Fix the failing build', metadata: { delivery_id: 'd-1' } });
    expect(double.runs.get(1000)?.prompt).to.equal('Fix the failing build');
    expect(codegen.lastCall()).to.deep.equal({ at: clock, outcome: 'ok' });
  });

  it('gets a finished run with its summary, result and pull requests', async () => {
    const codegen = client();
    const created = await codegen.createRun({ prompt: 'Review PR #3' });
    double.completeRun(created.id);

    const run = await codegen.getRun(created.id);
    await codegen.getRun(created.id);

    expect(double.requests[1]?.path).to.equal(`/v1/organizations/${double.orgId}/agent/run/${created.id}`);
    expect(double.requests[1]?.headers.authorization).to.equal(`Bearer ${double.token}`);
    expect(run.status).to.equal('COMPLETE');
    expect(run.state).to.equal('completed');
    expect(run.summary).to.equal(`Run ${created.id} ended with COMPLETE`);
    expect(run.result).to.equal(`Result of run ${created.id}`);
    expect(run.pullRequests).to.deep.equal([
      {
        id: created.id * 10,
        title: `Fix from run ${created.id}`,
        url: `https://github.com/octo/repo/pull/${created.id}`,
        headBranchName: `codegen-bot/fix-${created.id}`,
        createdAt: new Date(clock).toISOString(),
      },
    ]);
  });

  it('reports each polled status verbatim and normalises it case-insensitively', async () => {
    const codegen = client();
    double.setStatusSequence(['PENDING', 'active', 'Evaluation', 'error']);
    const { id } = await codegen.createRun({ prompt: 'Fix it' });

    const seen: Array<[string, string]> = [];
    for (let i = 0; i < 4; i++) {
      const run = await codegen.getRun(id);
      seen.push([run.status, run.state]);
    }

    expect(seen).to.deep.equal([
      ['PENDING', 'pending'],
      ['active', 'running'],
      ['Evaluation', 'running'],
      ['error', 'failed'],
    ]);
  });

  it('fails with payment_required, not retryable, when the agent run allowance is used up (402)', async () => {
    const codegen = client();
    double.failNext(402);

    const error = await rejection(codegen.createRun({ prompt: 'Fix it' }));

    expect(error.code).to.equal('payment_required');
    expect(error.message).to.match(/allowance is used up/);
    expect(error.message).to.include('Alloted agent runs for the current billing plan have been reached');
    expect(isRetryable(error)).to.equal(false);
    expect(codegen.lastCall()?.outcome).to.equal('payment_required');
    expect(await counterValue(metrics, 'codegenRuns', { status: 'created' })).to.equal(0);
  });

  it('fails with permanent_failure carrying the FastAPI validation detail (422)', async () => {
    const codegen = client({ orgId: 'acme' });

    const error = await rejection(codegen.createRun({ prompt: 'Fix it' }));

    expect(error.code).to.equal('permanent_failure');
    expect(error.message).to.include('HTTP 422');
    expect(error.message).to.include('path.org_id: Input should be a valid integer');
    expect(isRetryable(error)).to.equal(false);
  });

  it('fails with permanent_failure and the API message on 403 and 404', async () => {
    const forbidden = await rejection(client({ orgId: '7' }).createRun({ prompt: 'Fix it' }));
    const missing = await rejection(client().getRun(999_999));

    expect([forbidden.code, forbidden.details?.httpStatus]).to.deep.equal(['permanent_failure', 403]);
    expect(forbidden.message).to.include('You do not have access to this organization.');
    expect([missing.code, missing.details?.httpStatus]).to.deep.equal(['permanent_failure', 404]);
    expect(missing.message).to.include('Agent run not found.');
  });

  it('maps a 429 from Codegen to rate_limited with its Retry-After, or the window when there is none', async () => {
    const codegen = client();
    double.failNext(429, 1, { headers: { 'retry-after': '17' } });
    double.failNext(429);

    const withHeader = await rejection(codegen.createRun({ prompt: 'Fix it' }));
    const withoutHeader = await rejection(codegen.createRun({ prompt: 'Fix it' }));

    expect([withHeader.code, withHeader.retryAfterSeconds]).to.deep.equal(['rate_limited', 17]);
    expect([withoutHeader.code, withoutHeader.retryAfterSeconds]).to.deep.equal(['rate_limited', 60]);
    expect(await counterValue(metrics, 'rateLimited', { scope: 'codegen_api' })).to.equal(2);
  });

  it('counts no run itself: the Codegen actor counts each run once', async () => {
    const codegen = client();
    const { id } = await codegen.createRun({ prompt: 'Fix it' });
    double.completeRun(id);
    await codegen.getRun(id);
    const exposition = await metrics.registry.metrics();
    expect(exposition).to.not.match(/orchestrator_codegen_runs_total\{status="(created|completed)"\} [1-9]/);
  });

  it('is not_configured without a token or an organisation id, and calls nothing', async () => {
    const withoutToken = client({ token: undefined });
    const withoutOrg = client({ orgId: '' });

    const error = await rejection(withoutToken.createRun({ prompt: 'Fix it' }));
    const readError = await rejection(withoutOrg.getRun(1));

    expect([withoutToken.configured, withoutOrg.configured, client().configured]).to.deep.equal([false, false, true]);
    expect(error.code).to.equal('not_configured');
    expect(error.message).to.equal('Codegen is not configured (CODEGEN_TOKEN and CODEGEN_ORG_ID)');
    expect(readError.code).to.equal('not_configured');
    expect(double.requests).to.deep.equal([]);
    expect(withoutToken.lastCall()).to.equal(undefined);
  });

  it('never writes the token to logs or error messages, even when the API echoes it', async () => {
    const codegen = client();
    double.failNext(422, 1, { body: { detail: [{ loc: ['header', 'authorization'], msg: `bad token ${double.token}`, type: 'value_error' }] } });
    const echoed = await rejection(codegen.createRun({ prompt: 'Fix it' }));
    const run = await codegen.createRun({ prompt: 'Fix it' });
    await codegen.getRun(run.id);
    double.failNext(402);
    const refused = await rejection(codegen.createRun({ prompt: 'Fix it' }));
    double.setLatencyMs(300);
    const timedOut = await rejection(client({ timeoutMs: 50 }).getRun(run.id));

    expect(echoed.message).to.include('header.authorization: bad token [REDACTED]');
    const everything = [echoed.message, refused.message, timedOut.message, ...lines].join('\n');
    expect(lines.length).to.be.greaterThan(4);
    expect(everything).to.not.include(double.token);
    expect(lines.some((line) => line.includes('"code":"payment_required"'))).to.equal(true);
  });

  it('rejects an empty prompt or an invalid run id before calling Codegen', async () => {
    const codegen = client();

    const emptyPrompt = await rejection(codegen.createRun({ prompt: '  ' }));
    const badId = await rejection(codegen.getRun(-1));

    expect([emptyPrompt.code, badId.code]).to.deep.equal(['permanent_failure', 'permanent_failure']);
    expect(double.requests).to.deep.equal([]);
  });
});

describe('startCodegenDouble', () => {
  let double: CodegenDouble;

  beforeEach(async () => {
    double = await startCodegenDouble();
  });

  afterEach(async () => {
    await double.close();
  });

  const post = (body: unknown, token = double.token): Promise<Response> =>
    fetch(`${double.url}/v1/organizations/${double.orgId}/agent/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers 401 without the Bearer token and 422 with a FastAPI detail for a missing or empty prompt', async () => {
    const unauthorised = await post({ prompt: 'x' }, 'wrong');
    const missing = await post({ metadata: {} });
    const empty = await post({ prompt: '' });

    expect(unauthorised.status).to.equal(401);
    expect(missing.status).to.equal(422);
    expect(await missing.json()).to.deep.equal({ detail: [{ type: 'missing', loc: ['body', 'prompt'], msg: 'Field required' }] });
    expect(empty.status).to.equal(422);
    expect(((await empty.json()) as { detail: Array<{ loc: string[] }> }).detail[0]?.loc).to.deep.equal(['body', 'prompt']);
    expect(double.runs.size).to.equal(0);
  });

  it('enforces the documented 10 creations per minute with a 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await post({ prompt: `p${i}` })).status);
    const last = await post({ prompt: 'p11' });

    expect(statuses).to.deep.equal([...Array<number>(10).fill(200), 429]);
    expect(last.headers.get('retry-after')).to.match(/^(59|60)$/);
    expect(double.runs.size).to.equal(10);
  });
});

describe('createCodegenClient.findRunForTask', () => {
  it('finds, among the newest runs, the one created for a task at or after an attempt, by its metadata', async () => {
    const double = await startCodegenDouble();
    try {
      const codegen = createCodegenClient({
        apiUrl: double.url,
        token: double.token,
        orgId: double.orgId,
        logger: createLogger({ level: 'fatal' }),
        metrics: createMetrics({ defaultMetrics: false }),
      });
      await codegen.createRun({ prompt: 'other', metadata: { task_id: 'other-task', attempt: 1 } });
      const earlier = await codegen.createRun({ prompt: 'fix', metadata: { task_id: 'task-1', attempt: 1 } });
      expect((await codegen.findRunForTask('task-1', 1))?.id).to.equal(earlier.id);
      expect(await codegen.findRunForTask('task-1', 2)).to.equal(undefined);
      expect(await codegen.findRunForTask('task-2', 1)).to.equal(undefined);
      const listed = double.requests.filter((request) => request.path.endsWith('/agent/runs'));
      expect(listed).to.have.length(3);
      expect(listed.every((request) => request.status === 200)).to.equal(true);
    } finally {
      await double.close();
    }
  });
});
