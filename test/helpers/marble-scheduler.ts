import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';

/** A fresh TestScheduler (one per test) whose frames and subscriptions are compared deeply with chai. */
export function marbleScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
}
