import { expect } from 'chai';
import { analyseCheckRun } from '../../../../src/actors/analysis/analyse-check-run.js';
import { planCodegenPrompt } from '../../../../src/actors/codegen/plan-codegen-prompt.js';
import { DEFAULT_RULES } from '../../../../src/config/rules-schema.js';
import type { Task } from '../../../../src/effects/db/entities/task.js';
import { associatedPullRequest, checkRunReport, HEAD_SHA } from '../../../fixtures/github-details.js';

const trigger = (overrides: Partial<Task> = {}): Task =>
  ({ repository: 'octo/app', headSha: HEAD_SHA, pullRequestNumber: 7, purpose: 'fix', deliveryId: 'd-1', ...overrides }) as Task;

/** A stored analysis holding what the real check-run analyser found for `name`. */
const checkAnalysis = (name: string, reason: string | null): Task =>
  ({
    reason,
    findings: analyseCheckRun(
      { ...checkRunReport({ name, summary: `${name} failed` }), appName: null, headSha: HEAD_SHA, pullRequests: [associatedPullRequest()] },
      { rules: DEFAULT_RULES, branch: 'changes' },
    ).findings,
  }) as Task;

describe('planCodegenPrompt', () => {
  it('builds one fix prompt naming every failed check of the linked analyses, with their reasons joined', () => {
    const plan = planCodegenPrompt(trigger(), [checkAnalysis('unit', 'unit failed.'), checkAnalysis('lint', 'lint failed.')], DEFAULT_RULES);
    expect(plan.findings.checks?.map((check) => check.name)).to.deep.equal(['unit', 'lint']);
    expect(plan.reason).to.equal('unit failed. lint failed.');
    expect(plan.prompt).to.include('pull request #7 in octo/app');
    expect(plan.prompt).to.include('## Check "unit"').and.to.include('## Check "lint"');
  });

  it('names the delivery that asked when no analysis gave a reason', () => {
    expect(planCodegenPrompt(trigger(), [checkAnalysis('unit', null)], DEFAULT_RULES).reason).to.equal('Requested by delivery d-1.');
    expect(planCodegenPrompt(trigger(), [], DEFAULT_RULES).reason).to.equal('Requested by delivery d-1.');
  });

  it('renders the repository’s template for the purpose, and a commit without a pull request as the commit', () => {
    const rules = { ...DEFAULT_RULES, promptTemplates: { review: 'Review {{target}} at {{short_sha}}: {{reason}}' } };
    const plan = planCodegenPrompt(trigger({ purpose: 'review', pullRequestNumber: null }), [checkAnalysis('unit', 'why.')], rules);
    expect(plan.prompt).to.equal(`Review commit ${HEAD_SHA.slice(0, 7)} in octo/app at ${HEAD_SHA.slice(0, 7)}: why.`);
  });

  it('treats a trigger without a purpose as a fix', () => {
    const rules = { ...DEFAULT_RULES, promptTemplates: { fix: 'fix {{purpose}}', review: 'review {{purpose}}' } };
    expect(planCodegenPrompt(trigger({ purpose: null }), [], rules).prompt).to.equal('fix fix');
  });
});
