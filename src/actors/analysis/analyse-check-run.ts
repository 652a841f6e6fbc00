import type { Rules } from '../../config/rules-schema.js';
import type { CheckRunDetails } from '../../effects/github/queries/check-run-query.js';
import { fixRunResult, toPromptCheck, type AnalysisResult } from './analysis-result.js';
import { decideFixRun } from './decide-fix-run.js';

/** check_failure_analysis: what failed, where, and whether it earns a fix run. */
export function analyseCheckRun(run: CheckRunDetails, context: { rules: Rules; branch: string | null }): AnalysisResult {
  const check = toPromptCheck(run);
  const decision = decideFixRun({
    rules: context.rules,
    headSha: run.headSha,
    branch: context.branch,
    failedCheckNames: [run.name],
    pullRequests: run.pullRequests,
  });
  const found =
    `Check "${run.name}"${run.appName ? ` (${run.appName})` : ''} concluded ${run.conclusion ?? 'unknown'} on ${run.headSha.slice(0, 7)}` +
    (run.annotations.length > 0 ? ` with ${run.annotations.length} annotation(s), first at ${run.annotations[0]!.path}:${run.annotations[0]!.startLine}` : '') +
    '.';
  const findings = {
    checks: [check],
    head_sha: run.headSha,
    pull_requests: run.pullRequests.map((pr) => ({ number: pr.number, state: pr.state, head_sha: pr.headRefOid })),
  };
  return fixRunResult(found, findings, decision, run.headSha);
}
