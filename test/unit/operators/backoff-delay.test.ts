import { expect } from 'chai';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffConfig } from '../../../src/operators/backoff-delay.js';

const schedule = (config: BackoffConfig, attempts: number, random?: () => number): number[] =>
  Array.from({ length: attempts }, (_, i) => backoffDelay(i + 1, config, random));

describe('backoffDelay', () => {
  it('doubles from the base for the exponential strategy and stops at the cap', () => {
    const config: BackoffConfig = { strategy: 'exponential', baseMs: 100, maxMs: 1_000, jitter: 'none' };
    expect(schedule(config, 6)).to.deep.equal([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('grows by the base each attempt for the linear strategy and stops at the cap', () => {
    const config: BackoffConfig = { strategy: 'linear', baseMs: 250, maxMs: 900, jitter: 'none' };
    expect(schedule(config, 5)).to.deep.equal([250, 500, 750, 900, 900]);
  });

  it('waits the base every time for the fixed strategy, capped too', () => {
    expect(schedule({ strategy: 'fixed', baseMs: 300, maxMs: 1_000, jitter: 'none' }, 3)).to.deep.equal([300, 300, 300]);
    expect(schedule({ strategy: 'fixed', baseMs: 300, maxMs: 200, jitter: 'none' }, 2)).to.deep.equal([200, 200]);
  });

  it('follows 1, 1, 2, 3, 5, 8 times the base for the fibonacci strategy and stops at the cap', () => {
    const config: BackoffConfig = { strategy: 'fibonacci', baseMs: 10, maxMs: 70, jitter: 'none' };
    expect(schedule(config, 8)).to.deep.equal([10, 10, 20, 30, 50, 70, 70, 70]);
  });

  it('stays at the cap for huge attempt numbers instead of overflowing', () => {
    for (const strategy of ['exponential', 'linear', 'fibonacci'] as const) {
      const config: BackoffConfig = { strategy, baseMs: 1_000, maxMs: 60_000, jitter: 'none' };
      expect(backoffDelay(5_000, config), strategy).to.equal(60_000);
    }
  });

  it('returns 0 with full jitter when random() is 0', () => {
    const config: BackoffConfig = { strategy: 'exponential', baseMs: 100, maxMs: 1_000, jitter: 'full' };
    expect(schedule(config, 6, () => 0)).to.deep.equal([0, 0, 0, 0, 0, 0]);
  });

  it('returns just under the capped delay with full jitter when random() is 0.999', () => {
    const config: BackoffConfig = { strategy: 'exponential', baseMs: 100, maxMs: 1_000, jitter: 'full' };
    expect(schedule(config, 6, () => 0.999)).to.deep.equal([99, 199, 399, 799, 999, 999]);
  });

  it('keeps a jittered delay strictly below the cap even if random() returns 1', () => {
    const config: BackoffConfig = { strategy: 'fixed', baseMs: 500, maxMs: 500, jitter: 'full' };
    expect(backoffDelay(1, config, () => 1)).to.equal(499);
  });

  it('scales full jitter linearly between 0 and the capped delay', () => {
    const config: BackoffConfig = { strategy: 'linear', baseMs: 100, maxMs: 10_000, jitter: 'full' };
    expect(backoffDelay(4, config, () => 0.5)).to.equal(200);
    expect(backoffDelay(4, config, () => 0.25)).to.equal(100);
  });

  it('draws jitter from Math.random by default, always within [0, cap)', () => {
    const config: BackoffConfig = { strategy: 'exponential', baseMs: 100, maxMs: 400, jitter: 'full' };
    for (let attempt = 1; attempt <= 50; attempt += 1) {
      const delay = backoffDelay(attempt, config);
      expect(delay).to.be.at.least(0).and.below(Math.min(100 * 2 ** (attempt - 1), 400));
    }
  });

  it('defaults to exponential from 1 s, capped at 60 s, with full jitter', () => {
    expect(DEFAULT_BACKOFF).to.deep.equal({ strategy: 'exponential', baseMs: 1_000, maxMs: 60_000, jitter: 'full' });
    expect(Object.isFrozen(DEFAULT_BACKOFF)).to.equal(true);
    expect(backoffDelay(3, { ...DEFAULT_BACKOFF, jitter: 'none' })).to.equal(4_000);
  });

  it('rejects an attempt below 1 or not an integer with a RangeError', () => {
    for (const attempt of [0, -1, 1.5, Number.NaN]) {
      expect(() => backoffDelay(attempt, DEFAULT_BACKOFF), String(attempt)).to.throw(RangeError, /attempt/);
    }
  });

  it('rejects negative or non-finite durations with a RangeError', () => {
    expect(() => backoffDelay(1, { ...DEFAULT_BACKOFF, baseMs: -1 })).to.throw(RangeError, /baseMs/);
    expect(() => backoffDelay(1, { ...DEFAULT_BACKOFF, maxMs: Infinity })).to.throw(RangeError, /maxMs/);
  });
});
