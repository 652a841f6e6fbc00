import { expect } from 'chai';
import { DEFAULT_RULES, rulesFileSchema, ruleSetSchema } from '../../../src/config/rules-schema.js';

describe('ruleSetSchema', () => {
  it('accepts an empty rule set and every field of the defaults', () => {
    expect(ruleSetSchema.parse({})).to.deep.equal({});
    expect(ruleSetSchema.safeParse(DEFAULT_RULES).success).to.equal(true);
  });

  it('refuses an unknown field, so a misspelt rule is not silently ignored', () => {
    const parsed = ruleSetSchema.safeParse({ fixFailedCheck: false });
    expect(parsed.success).to.equal(false);
    expect(parsed.error!.issues[0]!.code).to.equal('unrecognized_keys');
  });

  it('bounds the fix-run cap and the coalescing window', () => {
    expect(ruleSetSchema.safeParse({ maxFixRunsPerPullRequest: -1 }).success).to.equal(false);
    expect(ruleSetSchema.safeParse({ maxFixRunsPerPullRequest: 1.5 }).success).to.equal(false);
    expect(ruleSetSchema.safeParse({ maxFixRunsPerPullRequest: 0 }).success).to.equal(true);
    expect(ruleSetSchema.safeParse({ coalesceWindowSeconds: 601 }).success).to.equal(false);
    expect(ruleSetSchema.safeParse({ coalesceWindowSeconds: 600 }).success).to.equal(true);
  });

  it('takes prompt templates for fix and review only', () => {
    expect(ruleSetSchema.safeParse({ promptTemplates: { fix: 'Fix {{checks}}' } }).success).to.equal(true);
    expect(ruleSetSchema.safeParse({ promptTemplates: { deploy: 'x' } }).success).to.equal(false);
  });
});

describe('rulesFileSchema', () => {
  it('accepts defaults and repository overrides that name what they match', () => {
    const file = { defaults: { fixChecks: ['ci/*'] }, repositories: [{ match: 'octo-org/*', ignoreBranches: ['release/*'] }] };
    expect(rulesFileSchema.parse(file)).to.deep.equal(file);
  });

  it('refuses an override without a match and unknown top-level fields', () => {
    expect(rulesFileSchema.safeParse({ repositories: [{ fixFailedChecks: false }] }).success).to.equal(false);
    expect(rulesFileSchema.safeParse({ repositories: [{ match: '' }] }).success).to.equal(false);
    expect(rulesFileSchema.safeParse({ default: {} }).success).to.equal(false);
  });
});

describe('DEFAULT_RULES', () => {
  it('fixes every failed check, reviews by label, opts out by label and caps fix runs', () => {
    expect(DEFAULT_RULES).to.deep.include({ fixFailedChecks: true, fixChecks: ['*'], ignoreChecks: [], ignoreBranches: [] });
    expect([DEFAULT_RULES.reviewOptInLabels, DEFAULT_RULES.optOutLabels]).to.deep.equal([['codegen:review'], ['codegen:skip']]);
    expect(DEFAULT_RULES.maxFixRunsPerPullRequest).to.equal(3);
  });

  it('cannot be changed by whoever reads it', () => {
    expect(Object.isFrozen(DEFAULT_RULES)).to.equal(true);
  });
});
