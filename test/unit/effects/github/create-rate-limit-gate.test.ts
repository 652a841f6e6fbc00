import { expect } from 'chai';
import { createRateLimitGate } from '../../../../src/effects/github/create-rate-limit-gate.js';

describe('createRateLimitGate', () => {
  const start = 1_700_000_000_000;
  let clock: number;
  const gate = () => createRateLimitGate({ now: () => clock });

  beforeEach(() => {
    clock = start;
  });

  it('lets calls go while the headers report calls remaining', () => {
    const subject = gate();
    const seen = subject.observe('token', { 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': String(start / 1000 + 60) });
    expect(seen).to.deep.equal({ remaining: 12, resetAtMs: start + 60_000 });
    expect(subject.waitSeconds('token')).to.equal(undefined);
  });

  it('blocks a bucket whose remaining reached 0 until the reset, rounding the wait up', () => {
    const subject = gate();
    subject.observe('token', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(start / 1000 + 60) });

    expect(subject.waitSeconds('token')).to.equal(60);
    clock = start + 59_500;
    expect(subject.waitSeconds('token')).to.equal(1);
    clock = start + 60_000;
    expect(subject.waitSeconds('token')).to.equal(undefined);
  });

  it('keeps buckets apart: one exhausted installation does not stop another', () => {
    const subject = gate();
    subject.block('installation:1', start + 5_000);
    expect(subject.waitSeconds('installation:1')).to.equal(5);
    expect(subject.waitSeconds('installation:2')).to.equal(undefined);
  });

  it('never shortens a block and ignores blocks already over', () => {
    const subject = gate();
    subject.block('token', start + 30_000);
    subject.block('token', start + 10_000);
    subject.block('token', start - 1);
    expect(subject.waitSeconds('token')).to.equal(30);
  });

  it('ignores absent or malformed headers', () => {
    const subject = gate();
    expect(subject.observe('token', { 'x-ratelimit-remaining': 'lots' })).to.deep.equal({
      remaining: undefined,
      resetAtMs: undefined,
    });
    subject.observe('token', { 'x-ratelimit-remaining': '0' });
    expect(subject.waitSeconds('token')).to.equal(undefined);
  });
});
