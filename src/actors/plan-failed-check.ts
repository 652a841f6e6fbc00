import type { AnalysisTaskType } from '../effects/db/entities/task.js';
import type { GithubEventPlan } from './github-event-plan.js';

/** A check run or check suite event, reduced to what decides and describes its failure analysis. */
export interface CheckEvent {
  action: string;
  conclusion: string | null | undefined;
  /** `owner/name`. */
  repository: string;
  installationId: number | null;
  headSha: string;
  pullRequestNumbers: number[];
  headBranch: string | null;
  /** The fields that name this check in the task's input (its node id, its own id, its name). */
  identity: Record<string, unknown>;
}

/** Which conclusions are failures worth analysing, and the task they make. */
export interface FailedCheckRule {
  failedConclusions: ReadonlySet<string>;
  taskType: AnalysisTaskType;
}

/**
 * The plan shared by check runs and check suites: only a completed check whose conclusion is a
 * failure makes a task; its first pull request is the one the task is about, and the input keeps
 * every pull request, the head branch and what identifies the check.
 */
export function planFailedCheck(check: CheckEvent, rule: FailedCheckRule): GithubEventPlan {
  if (check.action !== 'completed') return { kind: 'ignore', reason: `action ${check.action} is not analysed` };
  if (!check.conclusion || !rule.failedConclusions.has(check.conclusion)) {
    return { kind: 'ignore', reason: `conclusion ${check.conclusion ?? 'none'} is not a failure` };
  }
  const [owner, repo] = check.repository.split('/');
  return {
    kind: 'task',
    taskType: rule.taskType,
    repository: check.repository,
    pullRequestNumber: check.pullRequestNumbers[0] ?? null,
    headSha: check.headSha,
    input: {
      owner,
      repo,
      installation_id: check.installationId,
      ...check.identity,
      conclusion: check.conclusion,
      pull_request_numbers: check.pullRequestNumbers,
      head_branch: check.headBranch,
    },
  };
}
