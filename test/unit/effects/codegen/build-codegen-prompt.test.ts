import { expect } from 'chai';
import { buildCodegenPrompt, type PromptCheck } from '../../../../src/effects/codegen/build-codegen-prompt.js';

const headSha = '0123456789abcdef0123456789abcdef01234567';

function check(name: string, conclusion: string, annotations: PromptCheck['annotations'] = [], summary?: string): PromptCheck {
  return summary === undefined ? { name, conclusion, annotations } : { name, conclusion, annotations, summary };
}

describe('buildCodegenPrompt', () => {
  it('names every failed check of a fix run and quotes its annotations with their positions', () => {
    const prompt = buildCodegenPrompt({
      purpose: 'fix',
      repository: 'octo/widgets',
      pullRequestNumber: 42,
      headSha,
      reason: 'check run "unit tests" failed on an open pull request',
      findings: {
        checks: [
          check('unit tests', 'FAILURE', [
            { path: 'src/sum.ts', startLine: 12, level: 'FAILURE', message: 'expected 3 to equal 4' },
            { path: 'src/sum.test.ts', level: 'warning', message: 'slow test\nover 2 s' },
          ], 'Tests: 1 failed, 40 passed'),
          check('lint', 'timed_out'),
          check('build', 'SUCCESS', [{ path: 'x.ts', level: 'notice', message: 'not a failure' }]),
        ],
      },
    });

    expect(prompt).to.include('Fix the failing checks on pull request #42 in octo/widgets.');
    expect(prompt).to.include(`Head commit: ${headSha}`);
    expect(prompt).to.include('Failed checks: unit tests, lint');
    expect(prompt).to.include('## Check "unit tests" (failure)');
    expect(prompt).to.include('> Tests: 1 failed, 40 passed');
    expect(prompt).to.include('- src/sum.ts:12 [failure]\n> expected 3 to equal 4');
    expect(prompt).to.include('- src/sum.test.ts [warning]\n> slow test\n> over 2 s');
    expect(prompt).to.include('## Check "lint" (timed_out)\nNo annotations were reported for this check.');
    expect(prompt).to.include('Why this run was started: check run "unit tests" failed on an open pull request');
    expect(prompt).to.not.include('build');
    expect(prompt).to.not.include('not a failure');
  });

  it('quotes at most 50 annotations, truncates long text, and says so', () => {
    const annotations = Array.from({ length: 60 }, (_, i) => ({ path: `src/f${i}.ts`, startLine: i + 1, level: 'failure', message: `error number ${i}` }));
    annotations[0] = { path: 'src/big.ts', startLine: 1, level: 'failure', message: 'A'.repeat(5_000) };

    const prompt = buildCodegenPrompt({
      purpose: 'fix',
      repository: 'octo/widgets',
      pullRequestNumber: 1,
      headSha,
      reason: 'failed',
      findings: { checks: [check('e2e', 'failure', annotations.slice(0, 40)), check('unit', 'failure', annotations.slice(40))] },
    });

    expect(prompt).to.include('error number 49');
    expect(prompt).to.not.include('error number 50');
    expect(prompt).to.include('(10 more annotations not shown: only the first 50 are quoted.)');
    expect(prompt).to.include('… [truncated, 4400 more characters]');
    expect(prompt).to.not.include('A'.repeat(601));
    expect(prompt.length).to.be.below(8_000);
  });

  it('lists the changed files and the title in a review run, bounded', () => {
    const changedFiles = Array.from({ length: 105 }, (_, i) => `src/file-${i}.ts`);

    const prompt = buildCodegenPrompt({
      purpose: 'review',
      repository: 'octo/widgets',
      pullRequestNumber: 7,
      headSha,
      reason: 'labelled codegen:review',
      findings: { title: 'Add   caching\nlayer', changedFiles },
    });

    expect(prompt).to.include('Review pull request #7 in octo/widgets: "Add caching layer".');
    expect(prompt).to.include('- src/file-0.ts\n- src/file-1.ts');
    expect(prompt).to.include('- src/file-99.ts\n(5 more files not listed)');
    expect(prompt).to.not.include('src/file-100.ts');
    expect(prompt).to.include('Do not push commits.');
  });

  it('fills a custom template once, leaving unknown placeholders and placeholder-like input as written', () => {
    const prompt = buildCodegenPrompt({
      template: '[{{purpose}}] {{repository}}@{{short_sha}} #{{ pull_request_number }}: {{reason}} / {{check_names}} / {{nope}}',
      purpose: 'fix',
      repository: 'octo/widgets',
      pullRequestNumber: 3,
      headSha,
      reason: 'see {{head_sha}}',
      findings: { checks: [check('ci', 'startup_failure')] },
    });

    expect(prompt).to.equal('[fix] octo/widgets@0123456 #3: see {{head_sha}} / ci / {{nope}}');
  });

  it('targets the commit when there is no pull request', () => {
    const prompt = buildCodegenPrompt({ purpose: 'fix', repository: 'octo/widgets', headSha, reason: 'suite failed', findings: {} });

    expect(prompt).to.include('Fix the failing checks on commit 0123456 in octo/widgets.');
    expect(prompt).to.include('Failed checks: (none recorded)');
    expect(prompt).to.include('No failed check details were recorded.');
  });
});
