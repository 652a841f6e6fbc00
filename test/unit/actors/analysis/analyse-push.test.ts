import { expect } from 'chai';
import { analysePush } from '../../../../src/actors/analysis/analyse-push.js';
import type { PushCommit, PushCommits } from '../../../../src/effects/github/queries/push-commits-query.js';

const commit = (sha: string, overrides: Partial<PushCommit> = {}): PushCommit => ({
  sha,
  message: `Change ${sha.slice(0, 1)}\n\nA longer body that the findings leave out.`,
  committedDate: '2026-11-28T10:00:00Z',
  additions: 10,
  deletions: 2,
  changedFiles: 3,
  author: { name: 'Octo Cat', email: 'octo@example.com' },
  ...overrides,
});

describe('analysePush', () => {
  const head = commit('a'.repeat(40), { additions: 5, deletions: 1 });
  const push: PushCommits = { defaultBranch: 'main', head, commits: [head, commit('b'.repeat(40), { changedFiles: null })] };

  it('records each commit’s first message line, author and size', () => {
    const { findings } = analysePush(push, { ref: 'refs/heads/main' });
    expect(findings).to.deep.equal({
      ref: 'refs/heads/main',
      head_sha: 'a'.repeat(40),
      default_branch: 'main',
      commits: [
        { sha: 'a'.repeat(40), message: 'Change a', author: 'Octo Cat', additions: 5, deletions: 1, changed_files: 3 },
        { sha: 'b'.repeat(40), message: 'Change b', author: 'Octo Cat', additions: 10, deletions: 2, changed_files: null },
      ],
    });
  });

  it('sums the push’s size in its reason and never asks for a Codegen run', () => {
    const result = analysePush(push, { ref: 'refs/heads/main' });
    expect(result.status).to.equal('succeeded');
    expect(result).to.not.have.property('trigger');
    expect(result.reason).to.equal(
      'Push of 2 commit(s) to refs/heads/main ending at aaaaaaa (+15/-3) was analysed and recorded; pushes never start Codegen runs.',
    );
  });
});
