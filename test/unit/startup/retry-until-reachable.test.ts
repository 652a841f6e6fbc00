import { expect } from 'chai';
import { retryUntilReachable } from '../../../src/startup/retry-until-reachable.js';
import { captureLogger } from '../../helpers/capture-logger.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4222'), { code: 'ECONNREFUSED' });

describe('retryUntilReachable', () => {
  it('tries until the attempt succeeds, explaining once with the hint, then each retry, then that it was reached', async () => {
    const { logger, records } = captureLogger();
    const states: Array<string | undefined> = [];
    let tries = 0;
    const value = await retryUntilReachable({
      dependency: 'NATS',
      target: 'nats://127.0.0.1:4222',
      attempt: async () => {
        tries += 1;
        if (tries < 3) throw refused();
        return 'connected';
      },
      hint: 'start it with bash scripts/ensure-services.sh',
      logger,
      onState: (problem) => states.push(problem),
      initialDelayMs: 5,
    });
    expect(value).to.equal('connected');
    expect(tries).to.equal(3);
    const messages = records().map((record) => record.msg as string);
    expect(messages[0]).to.equal(
      'NATS is not reachable at nats://127.0.0.1:4222 (connect ECONNREFUSED 127.0.0.1:4222). start it with bash scripts/ensure-services.sh. Retrying with backoff until it answers; /health/live answers meanwhile, /health/ready is 503.',
    );
    expect(messages[1]).to.equal('NATS still not reachable at nats://127.0.0.1:4222 (connect ECONNREFUSED 127.0.0.1:4222); try 3 in 10 ms');
    expect(messages[2]).to.equal('NATS reached at nats://127.0.0.1:4222');
    expect(states).to.deep.equal([
      'NATS is not reachable at nats://127.0.0.1:4222 (connect ECONNREFUSED 127.0.0.1:4222)',
      'NATS is not reachable at nats://127.0.0.1:4222 (connect ECONNREFUSED 127.0.0.1:4222)',
      undefined,
    ]);
  });

  it('doubles the delay up to the bound', async () => {
    const { logger, records } = captureLogger();
    let tries = 0;
    await retryUntilReachable({
      dependency: 'PostgreSQL',
      target: 'postgresql://127.0.0.1:5432/x',
      attempt: async () => {
        tries += 1;
        if (tries < 5) throw refused();
      },
      hint: 'h',
      logger,
      initialDelayMs: 2,
      maxDelayMs: 6,
    });
    expect(records().map((record) => record.retry_in_ms).filter((ms) => ms !== undefined)).to.deep.equal([2, 4, 6, 6]);
  });

  it('says so when the first try hangs, before it fails or succeeds', async () => {
    const { logger, records } = captureLogger();
    await retryUntilReachable({
      dependency: 'NATS',
      target: 'nats://10.255.255.1:4222',
      attempt: () => new Promise((resolve) => setTimeout(resolve, 80)),
      hint: 'h',
      logger,
      slowNoticeMs: 20,
    });
    expect(records().map((record) => record.msg)).to.deep.equal([
      'NATS is not reachable at nats://10.255.255.1:4222 (no answer yet). h. Retrying with backoff until it answers; /health/live answers meanwhile, /health/ready is 503.',
      'NATS reached at nats://10.255.255.1:4222',
    ]);
  });

  it('is silent when the first try succeeds at once', async () => {
    const { logger, lines } = captureLogger();
    expect(await retryUntilReachable({ dependency: 'NATS', target: 't', attempt: async () => 1, hint: 'h', logger })).to.equal(1);
    expect(lines).to.deep.equal([]);
  });

  it('stops when its signal is aborted, rejecting with the reason', async () => {
    const controller = new AbortController();
    const stopped = retryUntilReachable({
      dependency: 'NATS',
      target: 't',
      attempt: () => Promise.reject(refused()),
      hint: 'h',
      logger: captureLogger().logger,
      signal: controller.signal,
      initialDelayMs: 10_000,
    });
    setTimeout(() => controller.abort(new Error('migration failed')), 20);
    const error = await stopped.then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).to.equal('migration failed');
  });

  it('names the code of every address refused (an AggregateError)', async () => {
    const { logger, records } = captureLogger();
    let tries = 0;
    await retryUntilReachable({
      dependency: 'PostgreSQL',
      target: 't',
      attempt: async () => {
        tries += 1;
        if (tries === 1) throw new AggregateError([refused(), refused()], '');
      },
      hint: 'h',
      logger,
      initialDelayMs: 1,
    });
    expect(records()[0]!.tried).to.equal('ECONNREFUSED: every address refused');
  });
});
