import { expect } from 'chai';
import { marbleScheduler } from '../../helpers/marble-scheduler.js';
import { createPacedCall } from '../../../src/actors/create-paced-call.js';

describe('createPacedCall', () => {
  it('starts at most `limit` calls per window, delaying the rest in order, never dropping one', () => {
    const scheduler = marbleScheduler();
    const started: Array<[string, number]> = [];
    let limited = 0;
    scheduler.run(() => {
      const pace = createPacedCall({ limit: 2, windowMs: 10, scheduler, onLimited: () => (limited += 1) });
      for (const name of ['a', 'b', 'c', 'd', 'e']) {
        void pace(async () => {
          started.push([name, scheduler.now()]);
        });
      }
    });
    expect(started).to.deep.equal([
      ['a', 0],
      ['b', 0],
      ['c', 10],
      ['d', 10],
      ['e', 20],
    ]);
    expect(limited).to.equal(3);
  });

  it('hands each caller its own call’s result or error', async () => {
    const pace = createPacedCall({ limit: 10, windowMs: 1000 });
    expect(await pace(async () => 42)).to.equal(42);
    const failure = await pace(async () => {
      throw new Error('upstream 500');
    }).catch((error: unknown) => error);
    expect((failure as Error).message).to.equal('upstream 500');
  });
});
