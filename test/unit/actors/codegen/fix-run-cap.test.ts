import { expect } from 'chai';
import { fixRunCapReason } from '../../../../src/actors/codegen/fix-run-cap.js';

describe('fixRunCapReason', () => {
  it('lets a fix run start while the pull request has had fewer runs than the cap', () => {
    expect(fixRunCapReason({ pullRequestNumber: 7, earlierRuns: 0, cap: 3 })).to.equal(undefined);
    expect(fixRunCapReason({ pullRequestNumber: 7, earlierRuns: 2, cap: 3 })).to.equal(undefined);
  });

  it('refuses once the earlier runs reach the cap, saying the pull request, its runs and the cap', () => {
    expect(fixRunCapReason({ pullRequestNumber: 7, earlierRuns: 3, cap: 3 })).to.equal(
      'Not started: pull request #7 has had 3 fix run(s); the cap is 3.',
    );
    expect(fixRunCapReason({ pullRequestNumber: 7, earlierRuns: 5, cap: 3 })).to.match(/has had 5 fix run\(s\); the cap is 3\.$/);
  });

  it('refuses every fix run when the cap is 0', () => {
    expect(fixRunCapReason({ pullRequestNumber: 1, earlierRuns: 0, cap: 0 })).to.equal('Not started: pull request #1 has had 0 fix run(s); the cap is 0.');
  });
});
