import { expect } from 'chai';
import { createPerTurnBatcher } from '../../../src/bus/per-turn-batcher.js';

describe('createPerTurnBatcher', () => {
  it('starts nothing until the end of the turn, then starts every call of the turn together, in order', async () => {
    const batch = createPerTurnBatcher();
    const started: number[] = [];
    const calls = [1, 2, 3].map((n) => batch(async () => (started.push(n), n * 10)));
    expect(started).to.deep.equal([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).to.deep.equal([1, 2, 3]);
    expect(await Promise.all(calls)).to.deep.equal([10, 20, 30]);
  });

  it('rejects only the call that failed', async () => {
    const batch = createPerTurnBatcher();
    const ok = batch(async () => 'fine');
    const bad = batch(async () => {
      throw new Error('no PubAck');
    });
    expect(await ok).to.equal('fine');
    await bad.then(
      () => expect.fail('should reject'),
      (error: Error) => expect(error.message).to.equal('no PubAck'),
    );
  });

  it('opens a new batch for calls made after a flush', async () => {
    const batch = createPerTurnBatcher();
    const order: string[] = [];
    await batch(async () => order.push('first turn'));
    const second = batch(async () => order.push('second turn'));
    expect(order).to.deep.equal(['first turn']);
    await second;
    expect(order).to.deep.equal(['first turn', 'second turn']);
  });
});
