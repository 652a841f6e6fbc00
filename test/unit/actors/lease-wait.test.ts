import { expect } from 'chai';
import { leaseWaitSeconds } from '../../../src/actors/lease-wait.js';

describe('leaseWaitSeconds', () => {
  it('waits until the lease would run out, just past it, on the first refusal', () => {
    expect(leaseWaitSeconds(7000, 2)).to.equal(7.25);
    expect(leaseWaitSeconds(0, 1)).to.equal(0.25);
  });

  it('spaces later refusals out, doubling from 2 s up to 5 min, so a live owner never makes the message dead-letter', () => {
    expect(leaseWaitSeconds(100, 3)).to.equal(2);
    expect(leaseWaitSeconds(100, 4)).to.equal(4);
    expect(leaseWaitSeconds(9000, 4)).to.equal(9.25);
    expect(leaseWaitSeconds(100, 20)).to.equal(300);
    const total = Array.from({ length: 19 }, (_, i) => leaseWaitSeconds(10_000, i + 2)).reduce((sum, s) => sum + s, 0);
    expect(total, 'twenty deliveries span more than half an hour').to.be.above(30 * 60);
  });
});
