import type { Rules } from '../../config/rules-schema.js';
import type { CheckSuiteDetails } from '../../effects/github/queries/check-suite-query.js';
import { fixRunResult, toPromptCheck, type AnalysisResult } from './analysis-result.js';
import { decideFixRun } from './decide-fix-run.js';

/** check_suite_failure_analysis: every failed run of the suite, and whether they earn a fix run. */
export function analyseCheckSuite(suite: CheckSuiteDetails, context: { rules: Rules }): AnalysisResult {
  const checks = suite.failedRuns.map(toPromptCheck);
  const decision = decideFixRun({
    rules: context.rules,
    headSha: suite.headSha,
    branch: suite.branch,
    failedCheckNames: suite.failedRuns.map((run) => run.name),
    pullRequests: suite.pullRequests,
  });
  const names = suite.failedRuns.map((run) => `"${run.name}"`).join(', ') || 'no individual run';
  const found = `Check suite${suite.appName ? ` of ${suite.appName}` : ''} concluded ${suite.conclusion ?? 'unknown'} on ${suite.headSha.slice(0, 7)}; failed: ${names}.`;
  const findings = {
    checks,
    head_sha: suite.headSha,
    branch: suite.branch,
    pull_requests: suite.pullRequests.map((pr) => ({ number: pr.number, state: pr.state, head_sha: pr.headRefOid })),
  };
  return fixRunResult(found, findings, decision, suite.headSha);
}
