import { expect } from 'chai';
import { createPullCredit } from '../../../src/bus/pull-credit.js';

describe('createPullCredit', () => {
  it('takes at most the free slots, however many are asked for', async () => {
    const credit = createPullCredit(5);
    expect(await credit.acquire(3)).to.equal(3);
    expect(await credit.acquire(10)).to.equal(2);
    expect(credit.used).to.equal(5);
  });

  it('makes an acquire wait while every slot is taken, and wakes it when one is given back', async () => {
    const credit = createPullCredit(2);
    await credit.acquire(2);
    let got: number | undefined;
    const waiting = credit.acquire(4).then((n) => (got = n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(got, 'still waiting').to.equal(undefined);
    credit.release();
    await waiting;
    expect(got).to.equal(1);
    expect(credit.used).to.equal(2);
  });

  it('gives back what was asked for and not delivered, never below zero', async () => {
    const credit = createPullCredit(4);
    await credit.acquire(4);
    credit.release(3);
    expect(credit.used).to.equal(1);
    credit.release(5);
    expect(credit.used).to.equal(0);
  });

  it('wakes every waiter in turn as slots come back', async () => {
    const credit = createPullCredit(1);
    await credit.acquire(1);
    const order: string[] = [];
    const a = credit.acquire(1).then(() => order.push('a'));
    const b = credit.acquire(1).then(() => order.push('b'));
    credit.release();
    await a;
    expect(order).to.deep.equal(['a']);
    credit.release();
    await b;
    expect(order).to.deep.equal(['a', 'b']);
  });

  it('refuses a limit below one', () => {
    expect(() => createPullCredit(0)).to.throw(RangeError);
    expect(() => createPullCredit(1.5)).to.throw(RangeError);
  });
});
