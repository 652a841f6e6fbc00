import { globMatch } from '../../config/load-rules.js';
import type { Rules } from '../../config/rules-schema.js';
import type { PullRequestDetails } from '../../effects/github/queries/pull-request-query.js';
import type { AnalysisResult } from './analysis-result.js';

/**
 * pull_request_analysis: the change at a glance, its checks, and a review run only when opted in
 * by label. A pull request whose head has moved past the analysed commit is stale: skipped.
 */
export function analysePullRequest(
  pr: PullRequestDetails,
  context: { rules: Rules; number: number; headSha: string },
): AnalysisResult {
  const { rules } = context;
  const failing = pr.checks.contexts.filter((check) =>
    check.kind === 'check_run' ? ['failure', 'timed_out', 'startup_failure'].includes(check.conclusion ?? '') : ['failure', 'error'].includes(check.state),
  );
  const findings = {
    pull_request: { number: context.number, title: pr.title, url: pr.url, state: pr.state, draft: pr.isDraft, labels: pr.labels },
    changed_files: pr.files.map((file) => ({ path: file.path, additions: file.additions, deletions: file.deletions, change: file.changeType })),
    totals: { files: pr.changedFiles, additions: pr.additions, deletions: pr.deletions },
    checks: { state: pr.checks.state, failing: failing.map((check) => (check.kind === 'check_run' ? check.name : check.context)) },
    head_sha: pr.headRefOid,
  };
  const found = `Pull request #${context.number} "${pr.title}" changes ${pr.changedFiles} file(s) (+${pr.additions}/-${pr.deletions}); checks ${pr.checks.state ?? 'not reported yet'}.`;
  if (pr.headRefOid !== context.headSha) {
    return { status: 'skipped', findings, reason: `${found} Skipped: the head moved on to ${pr.headRefOid.slice(0, 7)} since this event.` };
  }
  if (pr.state !== 'open') return { status: 'succeeded', findings, reason: `${found} No review run: the pull request is ${pr.state}.` };
  const optedOut = pr.labels.find((label) => rules.optOutLabels.includes(label));
  if (optedOut) return { status: 'succeeded', findings, reason: `${found} No review run: opted out by the label ${optedOut}.` };
  if (rules.ignoreBranches.some((pattern) => globMatch(pattern, pr.headRefName))) {
    return { status: 'succeeded', findings, reason: `${found} No review run: branch ${pr.headRefName} is ignored by the rules.` };
  }
  const optIn = pr.labels.find((label) => rules.reviewOptInLabels.includes(label));
  if (!optIn) {
    return {
      status: 'succeeded',
      findings,
      reason: `${found} No review run: reviews are opt-in with the label ${rules.reviewOptInLabels.join(' or ') || '(none configured)'}.`,
    };
  }
  return {
    status: 'succeeded',
    findings,
    reason: `${found} A review run was requested because the pull request carries the label ${optIn}.`,
    trigger: { purpose: 'review', pullRequestNumber: context.number, headSha: pr.headRefOid },
  };
}
