import { expect } from 'chai';
import { analyseCheckRun } from '../../../../src/actors/analysis/analyse-check-run.js';
import { analysePullRequest } from '../../../../src/actors/analysis/analyse-pull-request.js';
import { collectPromptFindings } from '../../../../src/actors/codegen/collect-prompt-findings.js';
import { DEFAULT_RULES } from '../../../../src/config/rules-schema.js';
import type { Task } from '../../../../src/effects/db/entities/task.js';
import { associatedPullRequest, checkRunReport, HEAD_SHA } from '../../../fixtures/github-details.js';

/** An analysis task as stored, holding the findings one of the real analysers produced. */
const analysis = (findings: Record<string, unknown> | null): Task => ({ findings }) as Task;

const checkFindings = (name: string, summary = `${name} failed`) =>
  analyseCheckRun(
    { ...checkRunReport({ name, summary }), appName: null, headSha: HEAD_SHA, pullRequests: [associatedPullRequest()] },
    { rules: DEFAULT_RULES, branch: 'changes' },
  ).findings;

const pullRequestFindings = (title: string) =>
  analysePullRequest(
    {
      title,
      body: '',
      isDraft: false,
      state: 'open',
      url: 'https://github.com/o/r/pull/7',
      headRefOid: HEAD_SHA,
      baseRefName: 'main',
      headRefName: 'changes',
      labels: ['codegen:review'],
      files: [
        { path: 'src/cache.ts', additions: 10, deletions: 2, changeType: 'modified' },
        { path: 'README.md', additions: 1, deletions: 0, changeType: 'modified' },
      ],
      changedFiles: 2,
      additions: 11,
      deletions: 2,
      checks: { state: 'success', contexts: [] },
    },
    { rules: DEFAULT_RULES, number: 7, headSha: HEAD_SHA },
  ).findings;

describe('collectPromptFindings', () => {
  it('names every failed check of a burst once, in the order first seen', () => {
    const findings = collectPromptFindings([
      analysis(checkFindings('unit')),
      analysis(checkFindings('lint')),
      analysis(checkFindings('unit', 'a later report of the same check')),
    ]);
    expect(findings.checks?.map((check) => check.name)).to.deep.equal(['unit', 'lint']);
    expect(findings.checks?.[0]?.summary).to.equal('unit failed');
    expect(findings).to.not.have.any.keys('title', 'changedFiles');
  });

  it('takes the title and changed files from a pull request analysis', () => {
    const findings = collectPromptFindings([analysis(pullRequestFindings('Add cache')), analysis(checkFindings('unit'))]);
    expect(findings.title).to.equal('Add cache');
    expect(findings.changedFiles).to.deep.equal(['src/cache.ts', 'README.md']);
    expect(findings.checks?.map((check) => check.name)).to.deep.equal(['unit']);
  });

  it('keeps the first pull request’s title when several analyses carry one', () => {
    const findings = collectPromptFindings([analysis(pullRequestFindings('First')), analysis(pullRequestFindings('Second'))]);
    expect(findings.title).to.equal('First');
  });

  it('gives nothing for analyses without findings or with checks of an unexpected shape', () => {
    expect(collectPromptFindings([])).to.deep.equal({});
    expect(collectPromptFindings([analysis(null), analysis({ checks: 'unit' }), analysis({ checks: [null, { name: 3 }] })])).to.deep.equal({});
  });
});
