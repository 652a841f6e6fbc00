import { expect } from 'chai';
import sinon from 'sinon';
import { createWindowLimiter, type WindowLimiter } from '../../../src/operators/window-limiter.js';

/** A clock the test moves by hand. */
function manualClock(start = 0): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
    set: (ms) => {
      time = ms;
    },
  };
}

/** A small deterministic PRNG (mulberry32) so the property test is reproducible. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (const end of times) {
    max = Math.max(max, times.filter((t) => t > end - windowMs && t <= end).length);
  }
  return max;
}

describe('createWindowLimiter', () => {
  it('admits up to the limit, then refuses until the oldest admission leaves the window', () => {
    const clock = manualClock(1_000);
    const limiter = createWindowLimiter({ limit: 3, windowMs: 100, now: clock.now });

    expect([limiter.tryAcquire(), limiter.tryAcquire()]).to.deep.equal([{ allowed: true }, { allowed: true }]);
    clock.advance(40);
    expect(limiter.tryAcquire()).to.deep.equal({ allowed: true });
    expect(limiter.tryAcquire()).to.deep.equal({ allowed: false, retryAfterMs: 60 });
    clock.advance(59);
    expect(limiter.tryAcquire()).to.deep.equal({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(limiter.tryAcquire()).to.deep.equal({ allowed: true });
    expect(limiter.tryAcquire()).to.deep.equal({ allowed: true });
    expect(limiter.tryAcquire()).to.deep.equal({ allowed: false, retryAfterMs: 40 });
  });

  it('takes nothing from the window for a refused attempt', () => {
    const clock = manualClock();
    const limiter = createWindowLimiter({ limit: 1, windowMs: 10, now: clock.now });
    limiter.tryAcquire();
    for (let i = 0; i < 5; i += 1) expect(limiter.tryAcquire().allowed).to.equal(false);
    clock.advance(10);
    expect(limiter.tryAcquire()).to.deep.equal({ allowed: true });
  });

  it('counts each key separately, and the default key is one global limit', () => {
    const clock = manualClock();
    const limiter = createWindowLimiter({ limit: 1, windowMs: 1_000, now: clock.now });
    expect(limiter.tryAcquire('10.0.0.1').allowed).to.equal(true);
    expect(limiter.tryAcquire('10.0.0.2').allowed).to.equal(true);
    expect(limiter.tryAcquire().allowed).to.equal(true);
    expect(limiter.tryAcquire('10.0.0.1').allowed).to.equal(false);
    expect(limiter.tryAcquire().allowed).to.equal(false);
    expect(limiter.size).to.equal(3);
  });

  it('admits 1,000 requests in one second with a limit of 1,000 per second and default resolution', () => {
    const clock = manualClock();
    const limiter = createWindowLimiter({ limit: 1_000, windowMs: 1_000, now: clock.now });
    let admitted = 0;
    for (let i = 0; i < 1_000; i += 1) {
      if (limiter.tryAcquire('github-hookshot').allowed) admitted += 1;
      clock.advance(1);
    }
    expect(admitted).to.equal(1_000);
    expect(limiter.tryAcquire('github-hookshot').allowed).to.equal(false);
  });

  it('holds coarse-slot admissions back by at most one slot beyond the window', () => {
    const clock = manualClock(0);
    const limiter = createWindowLimiter({ limit: 2, windowMs: 100, resolutionMs: 10, now: clock.now });
    clock.set(3);
    limiter.tryAcquire();
    limiter.tryAcquire();
    // Both sit in slot [0, 10): they stop counting at 0 + 10 + 100.
    expect(limiter.tryAcquire()).to.deep.equal({ allowed: false, retryAfterMs: 107 });
    clock.set(109);
    expect(limiter.tryAcquire().allowed).to.equal(false);
    clock.set(110);
    expect(limiter.tryAcquire().allowed).to.equal(true);
  });

  for (const resolutionMs of [0, 7, 50]) {
    it(`never admits more than the limit in any sliding window (resolution ${resolutionMs} ms)`, () => {
      const clock = manualClock();
      const random = seeded(42 + resolutionMs);
      const limiter = createWindowLimiter({ limit: 5, windowMs: 100, resolutionMs, now: clock.now });
      const admitted: number[] = [];
      for (let i = 0; i < 2_000; i += 1) {
        clock.advance(Math.floor(random() * 15));
        const decision = limiter.tryAcquire('k');
        if (decision.allowed) admitted.push(clock.now());
        else expect(decision.retryAfterMs).to.be.at.least(1).and.at.most(100 + resolutionMs);
      }
      expect(maxInAnyWindow(admitted, 100)).to.be.at.most(5);
      // It must also actually admit: at least one per window-and-a-slot over 2,000 steps.
      expect(admitted.length).to.be.greaterThan(2_000 * 7 / (100 + resolutionMs));
    });
  }

  it('admits exactly when retryAfterMs says it will', () => {
    const clock = manualClock();
    const random = seeded(7);
    const limiter = createWindowLimiter({ limit: 3, windowMs: 50, resolutionMs: 5, now: clock.now });
    for (let i = 0; i < 500; i += 1) {
      clock.advance(Math.floor(random() * 10));
      const decision = limiter.tryAcquire();
      if (!decision.allowed) {
        clock.advance(decision.retryAfterMs - 1);
        if (decision.retryAfterMs > 1) expect(limiter.tryAcquire().allowed, `early at ${clock.now()}`).to.equal(false);
        clock.advance(1);
        expect(limiter.tryAcquire().allowed, `on time at ${clock.now()}`).to.equal(true);
      }
    }
  });

  it('forgets idle keys about one window after their last admission', () => {
    const clock = manualClock();
    const limiter = createWindowLimiter({ limit: 10, windowMs: 100, now: clock.now });
    for (let i = 0; i < 50; i += 1) limiter.tryAcquire(`192.0.2.${i}`);
    expect(limiter.size).to.equal(50);
    clock.advance(100);
    limiter.tryAcquire('198.51.100.1');
    expect(limiter.size).to.equal(1);
  });

  it('keeps at most maxKeys keys, forgetting the least recently used', () => {
    const clock = manualClock();
    const limiter: WindowLimiter = createWindowLimiter({ limit: 1, windowMs: 1_000, maxKeys: 2, now: clock.now });
    limiter.tryAcquire('a');
    limiter.tryAcquire('b');
    expect(limiter.tryAcquire('a').allowed).to.equal(false);
    limiter.tryAcquire('c');
    expect(limiter.size).to.equal(2);
    // 'b' was least recently used, so it was forgotten and starts afresh; 'a' was not.
    expect(limiter.tryAcquire('a').allowed).to.equal(false);
    expect(limiter.tryAcquire('b').allowed).to.equal(true);
  });

  it('reads Date.now by default', () => {
    // Only Date is faked, so the expected wait is exact rather than "about a minute, machine permitting".
    const clock = sinon.useFakeTimers({ now: Date.UTC(2026, 0, 1), toFake: ['Date'] });
    try {
      const limiter = createWindowLimiter({ limit: 1, windowMs: 60_000 });
      expect(limiter.tryAcquire()).to.deep.equal({ allowed: true });
      clock.tick(20_000);
      const refused = limiter.tryAcquire();
      expect(refused.allowed).to.equal(false);
      if (!refused.allowed) expect(refused.retryAfterMs).to.equal(40_000);
    } finally {
      clock.restore();
    }
  });

  it('rejects a zero, negative or fractional limit and a non-positive window with a RangeError', () => {
    for (const limit of [0, -1, 2.5, Number.NaN]) {
      expect(() => createWindowLimiter({ limit, windowMs: 1_000 }), String(limit)).to.throw(RangeError, /limit/);
    }
    for (const windowMs of [0, -5, Infinity]) {
      expect(() => createWindowLimiter({ limit: 1, windowMs }), String(windowMs)).to.throw(RangeError, /windowMs/);
    }
    expect(() => createWindowLimiter({ limit: 1, windowMs: 10, resolutionMs: 20 })).to.throw(RangeError, /resolutionMs/);
    expect(() => createWindowLimiter({ limit: 1, windowMs: 10, maxKeys: 0 })).to.throw(RangeError, /maxKeys/);
  });
});
