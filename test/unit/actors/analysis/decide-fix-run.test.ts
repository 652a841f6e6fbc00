import { expect } from 'chai';
import { decideFixRun } from '../../../../src/actors/analysis/decide-fix-run.js';
import { DEFAULT_RULES } from '../../../../src/config/rules-schema.js';

const HEAD = 'a'.repeat(40);
const pr = (overrides: Partial<{ number: number; state: string; headRefOid: string; labels: string[] }> = {}) => ({
  number: 7,
  state: 'open',
  headRefOid: HEAD,
  isDraft: false,
  labels: [],
  ...overrides,
});

describe('decideFixRun', () => {
  const base = { rules: DEFAULT_RULES, headSha: HEAD, branch: 'feature', failedCheckNames: ['unit'] };

  it('asks for a fix run when a check failed on the head of an open pull request', () => {
    expect(decideFixRun({ ...base, pullRequests: [pr()] })).to.deep.include({ trigger: true, pullRequestNumber: 7 });
  });

  it('calls a commit that is no longer its open pull request’s head stale', () => {
    const decision = decideFixRun({ ...base, pullRequests: [pr({ headRefOid: 'b'.repeat(40) })] });
    expect(decision).to.deep.include({ trigger: false, stale: true });
  });

  it('starts nothing without an open pull request, for an opted-out one, an ignored branch or an ignored check', () => {
    expect(decideFixRun({ ...base, pullRequests: [] })).to.deep.include({ trigger: false, stale: false });
    expect(decideFixRun({ ...base, pullRequests: [pr({ state: 'closed' })] })).to.deep.include({ trigger: false });
    expect(decideFixRun({ ...base, pullRequests: [pr({ labels: ['codegen:skip'] })] }).because).to.match(/opted out/);
    const rules = { ...DEFAULT_RULES, ignoreBranches: ['feat*'], ignoreChecks: ['unit'] };
    expect(decideFixRun({ ...base, rules, pullRequests: [pr()] }).because).to.match(/branch feature is ignored/);
    expect(decideFixRun({ ...base, branch: null, rules, pullRequests: [pr()] }).because).to.match(/no failed check/);
    expect(decideFixRun({ ...base, rules: { ...DEFAULT_RULES, fixFailedChecks: false }, pullRequests: [pr()] }).because).to.match(/disabled/);
  });
});
