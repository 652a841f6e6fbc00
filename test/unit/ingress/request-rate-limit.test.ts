import { expect } from 'chai';
import { createRequestRateLimit } from '../../../src/ingress/request-rate-limit.js';
import { createMetrics } from '../../../src/observability/metrics.js';

async function refusals(metrics: ReturnType<typeof createMetrics>): Promise<Record<string, number>> {
  const { values } = await metrics.rateLimited.get();
  return Object.fromEntries(values.map((value) => [String(value.labels.scope), value.value]));
}

describe('createRequestRateLimit', () => {
  let now: number;
  let metrics: ReturnType<typeof createMetrics>;
  const limit = (perAddress: number, global: number) =>
    createRequestRateLimit({ perAddress, global, windowMs: 1000, metrics, now: () => now });
  beforeEach(() => {
    now = 1_000_000;
    metrics = createMetrics({ defaultMetrics: false });
  });

  it('admits up to the per-address limit, then refuses that address only', async () => {
    const rateLimit = limit(2, 100);
    expect([rateLimit.check('10.0.0.1'), rateLimit.check('10.0.0.1')]).to.deep.equal([undefined, undefined]);
    expect(rateLimit.check('10.0.0.1')).to.deep.equal({ scope: 'address', retryAfterSeconds: 1 });
    expect(rateLimit.check('10.0.0.2')).to.equal(undefined);
    expect(await refusals(metrics)).to.deep.equal({ webhook_address: 1 });
  });

  it('refuses everyone once the global limit is reached', async () => {
    const rateLimit = limit(100, 3);
    for (const address of ['a', 'b', 'c']) expect(rateLimit.check(address)).to.equal(undefined);
    expect(rateLimit.check('d')).to.deep.equal({ scope: 'global', retryAfterSeconds: 1 });
    expect(await refusals(metrics)).to.deep.equal({ webhook_global: 1 });
  });

  it('admits again once the window has passed', () => {
    const rateLimit = limit(1, 100);
    rateLimit.check('a');
    expect(rateLimit.check('a')).to.not.equal(undefined);
    now += 1000;
    expect(rateLimit.check('a')).to.equal(undefined);
  });

  it('rounds the wait up to whole seconds, never below one', () => {
    const rateLimit = createRequestRateLimit({ perAddress: 1, global: 100, windowMs: 2500, metrics, now: () => now });
    rateLimit.check('a');
    now += 100;
    expect(rateLimit.check('a')).to.deep.equal({ scope: 'address', retryAfterSeconds: 3 });
  });
});
