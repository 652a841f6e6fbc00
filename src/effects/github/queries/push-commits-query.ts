import { z } from 'zod';
import { AppError } from '../../../errors/app-error.js';
import { connectionNodes } from './connection-nodes.js';
import type { GithubQuery } from './github-query.js';

/** Which push to read: the repository and the pushed head (`after`); `before` bounds the history. */
export interface PushCommitsQueryInput {
  owner: string;
  repo: string;
  sha: string;
  /** The push's `before` SHA: history stops there, so only the pushed commits are returned. */
  before?: string;
}

/** One commit of a push. GraphQL exposes no per-file list for commits, only the count. */
export interface PushCommit {
  sha: string;
  message: string;
  committedDate: string;
  additions: number;
  deletions: number;
  /** Null when GitHub could not compute it (very large commits). */
  changedFiles: number | null;
  author: { name: string | null; email: string | null };
}

/** What a `push_analysis` needs. */
export interface PushCommits {
  defaultBranch: string | null;
  head: PushCommit;
  /** Newest first, starting with the head, at most 20, stopping before `before`. */
  commits: PushCommit[];
}

const commitFields = {
  oid: z.string(),
  message: z.string(),
  committedDate: z.string(),
  additions: z.number().int(),
  deletions: z.number().int(),
  changedFilesIfAvailable: z.number().int().nullable(),
  author: z.object({ name: z.string().nullable(), email: z.string().nullable() }).nullable(),
};

const commit = z.object(commitFields).transform(
  (fields): PushCommit => ({
    sha: fields.oid,
    message: fields.message,
    committedDate: fields.committedDate,
    additions: fields.additions,
    deletions: fields.deletions,
    changedFiles: fields.changedFilesIfAvailable,
    author: { name: fields.author?.name ?? null, email: fields.author?.email ?? null },
  }),
);

const headCommit = z.object({ head: commit, history: connectionNodes(commit) });

const data = z.object({
  repository: z
    .object({
      defaultBranchRef: z.object({ name: z.string() }).nullable(),
      // Any git object may sit at an oid; only a commit is read further.
      object: z.object({ __typename: z.string() }).loose().nullable(),
    })
    .nullable(),
});

const query = `query PushCommitsForAnalysis($owner: String!, $name: String!, $oid: GitObjectID!) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name }
    object(oid: $oid) {
      __typename
      ... on Commit {
        ...PushCommitFields
        history(first: 20) { nodes { ...PushCommitFields } }
      }
    }
  }
}

fragment PushCommitFields on Commit {
  oid
  message
  committedDate
  additions
  deletions
  changedFilesIfAvailable
  author { name email }
}`;

/** Reads the commits of a push (the head and up to 20 of its history), for `push_analysis`. */
export const pushCommitsQuery: GithubQuery<PushCommitsQueryInput, PushCommits> = {
  operation: 'push_commits',
  operationName: 'PushCommitsForAnalysis',
  query,
  variables: (input) => ({ owner: input.owner, name: input.repo, oid: input.sha }),
  toResult(answer, input) {
    const repository = data.parse(answer).repository;
    const object = repository?.object;
    if (!repository || !object || object.__typename !== 'Commit') {
      throw new AppError('permanent_failure', `Commit ${input.sha} of ${input.owner}/${input.repo} was not found`);
    }
    const { head, history } = headCommit.parse({ head: object, history: object.history });
    const end = input.before === undefined ? -1 : history.findIndex((entry) => entry.sha === input.before);
    return {
      defaultBranch: repository.defaultBranchRef?.name ?? null,
      head,
      commits: end === -1 ? history : history.slice(0, end),
    };
  },
};
