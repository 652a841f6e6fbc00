import { expect } from 'chai';
import { nextCursor } from '../../../src/recovery/github-hook-deliveries.js';

describe('nextCursor', () => {
  it('reads the cursor of the rel="next" link, wherever it sits in the Link header', () => {
    const link =
      '<https://api.github.com/app/hook/deliveries?per_page=2&cursor=v1_12077215967>; rel="next", ' +
      '<https://api.github.com/app/hook/deliveries?per_page=2>; rel="first"';
    expect(nextCursor(link)).to.equal('v1_12077215967');
    expect(nextCursor('<https://api.github.com/x?cursor=v1_1>; rel="prev", <https://api.github.com/x?cursor=v1_9>; rel="next"')).to.equal('v1_9');
  });

  it('is undefined on the last page (no header, or no next link)', () => {
    expect(nextCursor(undefined)).to.equal(undefined);
    expect(nextCursor('<https://api.github.com/app/hook/deliveries?per_page=2>; rel="first"')).to.equal(undefined);
  });
});
