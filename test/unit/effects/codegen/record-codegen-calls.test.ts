import { expect } from 'chai';
import { recordCodegenCalls } from '../../../../src/effects/codegen/record-codegen-calls.js';
import { AppError } from '../../../../src/errors/app-error.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { createMetrics, type Metrics } from '../../../../src/observability/metrics.js';

describe('recordCodegenCalls', () => {
  let clock: number;
  let lines: Array<Record<string, unknown>>;
  let metrics: Metrics;
  const calls = () =>
    recordCodegenCalls({
      log: createLogger({ level: 'trace', output: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) > 0 } }),
      metrics,
      now: () => clock,
    });
  const rateLimited = async () => (await metrics.rateLimited.get()).values.find((value) => value.labels.scope === 'codegen_api')?.value ?? 0;

  beforeEach(() => {
    clock = 1_000;
    lines = [];
    metrics = createMetrics({ defaultMetrics: false });
  });

  it('has no last call before the first, then the time and outcome of the latest', async () => {
    const record = calls();
    expect(record.lastCall()).to.equal(undefined);

    expect(await record.record('get_run', async () => ((clock += 40), 'run'))).to.equal('run');
    expect(record.lastCall()).to.deep.equal({ at: 1_040, outcome: 'ok' });
    expect(lines.map((line) => [line.level, line.msg, line.operation, line.durationMs])).to.deep.equal([[20, 'codegen call succeeded', 'get_run', 40]]);

    await record.record('create_run', () => Promise.reject(new AppError('payment_required', 'allowance used up'))).catch(() => undefined);
    expect(record.lastCall()).to.deep.equal({ at: 1_040, outcome: 'payment_required' });
  });

  it('rethrows a failure as it came, logs its code and HTTP status, and counts a 429 as rate limited', async () => {
    const record = calls();
    const limited = new AppError('rate_limited', 'slow down', { retryAfterSeconds: 5, details: { httpStatus: 429 } });

    const error = await record.record('create_run', () => Promise.reject(limited)).catch((reason: unknown) => reason);

    expect(error).to.equal(limited);
    expect(await rateLimited()).to.equal(1);
    expect(lines.map((line) => [line.level, line.msg, line.code, line.httpStatus])).to.deep.equal([[40, 'codegen call failed', 'rate_limited', 429]]);
  });

  it('makes an error that is not an AppError dependency_failed, with it as the cause, and counts nothing', async () => {
    const record = calls();
    const thrown = new TypeError('boom');

    const error = (await record.record('list_runs', () => Promise.reject(thrown)).catch((reason: unknown) => reason)) as AppError;

    expect([error.code, error.message, error.cause]).to.deep.equal(['dependency_failed', 'Codegen list_runs failed', thrown]);
    expect(record.lastCall()?.outcome).to.equal('dependency_failed');
    expect(await rateLimited()).to.equal(0);
  });
});
