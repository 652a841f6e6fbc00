import { expect } from 'chai';
import fc from 'fast-check';
import { AppError } from '../../../src/errors/app-error.js';
import { createBodyByteBudget } from '../../../src/ingress/body-byte-budget.js';

describe('createBodyByteBudget', () => {
  it('admits takes up to the budget, refuses the one beyond with 503 unavailable + Retry-After, and takes nothing for it', () => {
    const changes: number[] = [];
    const budget = createBodyByteBudget({ maxBytes: 100, onChange: (bytes) => changes.push(bytes) });
    const first = budget.open();
    const second = budget.open();
    first.take(60);
    second.take(40);
    let refusal: unknown;
    try {
      second.take(1);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).to.be.instanceOf(AppError);
    expect(refusal).to.include({ code: 'unavailable', status: 503, retryAfterSeconds: 2 });
    expect(second.held).to.equal(40);
    expect(budget.inUse()).to.equal(100);
    first.release();
    first.release();
    expect(budget.inUse()).to.equal(40);
    expect(changes).to.deep.equal([60, 100, 40]);
  });

  it('refuses a released account, so a late chunk cannot leak bytes', () => {
    const budget = createBodyByteBudget({ maxBytes: 100, retryAfterSeconds: 7 });
    const account = budget.open();
    account.release();
    expect(() => account.take(1)).to.throw(AppError).with.property('retryAfterSeconds', 7);
    expect(budget.inUse()).to.equal(0);
  });

  it('never holds more than maxBytes and is back at 0 once every account is released, whatever the sequence', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('open' as const) }),
      fc.record({ kind: fc.constant('take' as const), account: fc.nat(), bytes: fc.nat({ max: 400 }) }),
      fc.record({ kind: fc.constant('release' as const), account: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(step, { maxLength: 200 }), (maxBytes, steps) => {
        const budget = createBodyByteBudget({ maxBytes });
        const accounts = [budget.open()];
        for (const s of steps) {
          if (s.kind === 'open') accounts.push(budget.open());
          else {
            const account = accounts[s.account % accounts.length]!;
            if (s.kind === 'release') account.release();
            else {
              const before = budget.inUse();
              try {
                account.take(s.bytes);
              } catch {
                expect(budget.inUse()).to.equal(before);
              }
            }
          }
          expect(budget.inUse()).to.be.within(0, maxBytes);
          expect(budget.inUse()).to.equal(accounts.reduce((sum, account) => sum + account.held, 0));
        }
        for (const account of accounts) account.release();
        expect(budget.inUse()).to.equal(0);
      }),
      { seed: 0x5eed, numRuns: 300 },
    );
  });
});
