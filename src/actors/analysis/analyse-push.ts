import type { PushCommits } from '../../effects/github/queries/push-commits-query.js';
import type { AnalysisResult } from './analysis-result.js';

/** push_analysis: recorded only — what was pushed; a push never starts a Codegen run. */
export function analysePush(push: PushCommits, context: { ref: string }): AnalysisResult {
  const commits = push.commits.map((commit) => ({
    sha: commit.sha,
    message: commit.message.split('\n', 1)[0],
    author: commit.author.name,
    additions: commit.additions,
    deletions: commit.deletions,
    changed_files: commit.changedFiles,
  }));
  const additions = push.commits.reduce((sum, commit) => sum + commit.additions, 0);
  const deletions = push.commits.reduce((sum, commit) => sum + commit.deletions, 0);
  return {
    status: 'succeeded',
    findings: { ref: context.ref, head_sha: push.head.sha, default_branch: push.defaultBranch, commits },
    reason:
      `Push of ${commits.length} commit(s) to ${context.ref} ending at ${push.head.sha.slice(0, 7)} (+${additions}/-${deletions}) ` +
      'was analysed and recorded; pushes never start Codegen runs.',
  };
}
