import type { AssociatedPullRequest } from '../../effects/github/queries/associated-pull-requests.js';

/** The open pull request whose head is `headSha`, if any: fixes only go to live pull requests. */
export function openPullRequestAt(pullRequests: readonly AssociatedPullRequest[], headSha: string): AssociatedPullRequest | undefined {
  return pullRequests.find((pr) => pr.state === 'open' && pr.headRefOid === headSha);
}
