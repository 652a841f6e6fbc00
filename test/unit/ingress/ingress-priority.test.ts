import { expect } from 'chai';
import { createIngressPriority } from '../../../src/ingress/ingress-priority.js';

describe('createIngressPriority', () => {
  /** A clock each reading advances by 1 ms, so pauses are measured without being waited out. */
  const fakeClock = () => {
    let at = 0;
    return { now: () => (at += 1), read: () => at };
  };
  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((done) => {
      resolve = done;
    });
    return { promise, resolve };
  };

  it('runs batches side by side and without a pause while the endpoint is not crowded', async () => {
    const clock = fakeClock();
    const priority = createIngressPriority({ now: clock.now, pollMs: 0, memoryMs: 10 });
    // Three requests in flight: a trickle, below the default crowd of four.
    for (let i = 0; i < 3; i++) priority.enter();
    expect(priority.crowded).to.equal(false);
    const first = deferred();
    let secondRan = false;
    const one = priority.admit(() => first.promise);
    await priority.admit(async () => {
      secondRan = true;
    });
    expect(secondRan, 'the second batch did not wait for the first').to.equal(true);
    first.resolve();
    await one;
    const before = clock.read();
    await priority.admit(async () => undefined);
    expect(clock.read() - before).to.be.at.most(1);
  });

  it('while the endpoint is crowded, runs one batch at a time across actors, in order', async () => {
    const priority = createIngressPriority({ pollMs: 0, maxPauseMs: 0, crowdedAt: 1 });
    priority.enter();
    const order: string[] = [];
    const first = deferred();
    const a = priority.admit(async () => {
      order.push('a start');
      await first.promise;
      order.push('a end');
    });
    const b = priority.admit(async () => {
      order.push('b');
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).to.deep.equal(['a start']);
    first.resolve();
    await Promise.all([a, b]);
    expect(order).to.deep.equal(['a start', 'a end', 'b']);
    priority.leave();
  });

  it('follows each batch with a pause of its duration times the share, bounded by maxPauseMs', async () => {
    const clock = fakeClock();
    const priority = createIngressPriority({ now: clock.now, pollMs: 0, share: 0.5, maxPauseMs: 30, crowdedAt: 1 });
    priority.enter();
    let before = clock.read();
    // A batch during which the clock moves 40 ms.
    await priority.admit(async () => {
      for (let i = 0; i < 39; i++) clock.now();
    });
    // 40 ms of batch, then a 20 ms pause (a reading or two of slack).
    expect(clock.read() - before).to.be.within(60, 64);
    before = clock.read();
    await priority.admit(async () => {
      for (let i = 0; i < 999; i++) clock.now();
    });
    expect(clock.read() - before - 1000).to.be.within(30, 34);
    priority.leave();
  });

  it('ends a pause once the crowd is answered and its memory has passed, and passes a failing batch on', async () => {
    const priority = createIngressPriority({ pollMs: 1, maxPauseMs: 10_000, share: 1_000_000, crowdedAt: 1, memoryMs: 5 });
    priority.enter();
    setTimeout(() => priority.leave(), 5);
    const error = await priority
      .admit(async () => {
        throw new Error('batch failed');
      })
      .catch((caught: unknown) => caught);
    expect(error).to.have.property('message', 'batch failed');
    expect(priority.inFlight).to.equal(0);
    // The slot was released: the next batch runs.
    expect(await priority.admit(async () => 'ran')).to.equal('ran');
  });

  it('never counts below zero', () => {
    const priority = createIngressPriority();
    priority.leave();
    priority.enter();
    expect(priority.inFlight).to.equal(1);
  });

  it('counts the endpoint crowded from crowdedAt requests in flight until memoryMs after the crowd thinned', () => {
    let at = 0;
    const priority = createIngressPriority({ now: () => at, crowdedAt: 2, memoryMs: 100 });
    priority.enter();
    expect(priority.crowded, 'one request').to.equal(false);
    priority.enter();
    expect(priority.crowded, 'two requests').to.equal(true);
    at = 50;
    priority.leave();
    priority.leave();
    at = 149;
    expect(priority.crowded, '99 ms after the crowd thinned').to.equal(true);
    at = 150;
    expect(priority.crowded, '100 ms after').to.equal(false);
  });

  it('waitTurn resolves at once when not crowded, and lets waiters through one per maxPauseMs while crowded', async () => {
    let at = 0;
    const priority = createIngressPriority({ now: () => at, crowdedAt: 1, memoryMs: 0, pollMs: 0, maxPauseMs: 1000 });
    await priority.waitTurn();
    priority.enter();
    const through = [false, false, false];
    const turns = through.map((_, index) =>
      priority.waitTurn().then(() => {
        through[index] = true;
      }),
    );
    const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
    await settle();
    expect(through, 'crowded, no time passed').to.deep.equal([false, false, false]);
    at = 1000;
    await settle();
    expect(through, 'one maxPauseMs').to.deep.equal([true, false, false]);
    at = 2000;
    await settle();
    expect(through, 'two').to.deep.equal([true, true, false]);
    // The crowd goes: the rest pass at once.
    priority.leave();
    await Promise.all(turns);
    expect(through).to.deep.equal([true, true, true]);
  });
});
