import { globMatch } from '../../config/load-rules.js';
import type { Rules } from '../../config/rules-schema.js';
import type { AssociatedPullRequest } from '../../effects/github/queries/associated-pull-requests.js';
import { openPullRequestAt } from './open-pull-request-at.js';

export interface FixRunInput {
  rules: Rules;
  headSha: string;
  branch: string | null;
  failedCheckNames: readonly string[];
  pullRequests: readonly AssociatedPullRequest[];
}

export type FixRunDecision =
  | { trigger: true; pullRequestNumber: number; because: string }
  | { trigger: false; stale: boolean; because: string };

/**
 * Whether failed checks on `headSha` deserve a fix run: a live (open, head = this commit) pull
 * request, not opted out, on a branch not ignored, with at least one check the rules allow.
 * A commit that is no longer the head of its open pull request is stale: recorded and skipped.
 */
export function decideFixRun(input: FixRunInput): FixRunDecision {
  const { rules } = input;
  if (!rules.fixFailedChecks) return { trigger: false, stale: false, because: 'fix runs are disabled for this repository' };
  const live = openPullRequestAt(input.pullRequests, input.headSha);
  if (!live) {
    const moved = input.pullRequests.find((pr) => pr.state === 'open');
    if (moved) {
      return {
        trigger: false,
        stale: true,
        because: `pull request #${moved.number} has moved on to ${moved.headRefOid.slice(0, 7)}; this commit is no longer its head`,
      };
    }
    return { trigger: false, stale: false, because: 'no open pull request has this commit as its head' };
  }
  const optedOut = live.labels.find((label) => rules.optOutLabels.includes(label));
  if (optedOut) return { trigger: false, stale: false, because: `pull request #${live.number} is opted out by the label ${optedOut}` };
  const branch = input.branch ?? '';
  if (branch && rules.ignoreBranches.some((pattern) => globMatch(pattern, branch))) {
    return { trigger: false, stale: false, because: `branch ${branch} is ignored by the rules` };
  }
  const eligible = input.failedCheckNames.filter(
    (name) => rules.fixChecks.some((p) => globMatch(p, name)) && !rules.ignoreChecks.some((p) => globMatch(p, name)),
  );
  if (eligible.length === 0) return { trigger: false, stale: false, because: 'no failed check is one the rules send to Codegen' };
  return {
    trigger: true,
    pullRequestNumber: live.number,
    because: `${eligible.join(', ')} failed on the head of open pull request #${live.number}`,
  };
}
