import { z } from 'zod';
import { AppError } from '../../../errors/app-error.js';
import { connectionNodes } from './connection-nodes.js';
import { githubEnum } from './github-enum.js';
import type { GithubQuery } from './github-query.js';

/** Which pull request to read. */
export interface PullRequestQueryInput {
  owner: string;
  repo: string;
  number: number;
}

/** A file the pull request changes. `changeType` is lower-case ('added', 'modified', 'renamed', ...). */
export interface PullRequestFile {
  path: string;
  additions: number;
  deletions: number;
  changeType: string;
}

/** One entry of the head commit's status check rollup: a check run or a commit status. */
export type StatusCheckContext =
  | { kind: 'check_run'; name: string; conclusion: string | null; status: string; detailsUrl: string | null }
  | { kind: 'status_context'; context: string; state: string; targetUrl: string | null };

/** What a pull request analysis needs. Enum values are lower-case, as in webhook payloads. */
export interface PullRequestDetails {
  title: string;
  body: string;
  isDraft: boolean;
  state: string;
  url: string;
  headRefOid: string;
  baseRefName: string;
  headRefName: string;
  /** The first 50 label names. */
  labels: string[];
  /** The first 100 files; `changedFiles` is the full count. */
  files: PullRequestFile[];
  changedFiles: number;
  additions: number;
  deletions: number;
  /** The head commit's status check rollup; `state` is null when the commit has no checks yet. */
  checks: { state: string | null; contexts: StatusCheckContext[] };
}

const file = z.object({
  path: z.string(),
  additions: z.number().int(),
  deletions: z.number().int(),
  changeType: githubEnum,
});

// A context type GitHub may add later is skipped rather than failing the analysis.
const context = z.union([
  z
    .object({
      __typename: z.literal('CheckRun'),
      name: z.string(),
      conclusion: githubEnum.nullable(),
      status: githubEnum,
      detailsUrl: z.string().nullable(),
    })
    .transform(
      (run): StatusCheckContext => ({
        kind: 'check_run',
        name: run.name,
        conclusion: run.conclusion,
        status: run.status,
        detailsUrl: run.detailsUrl,
      }),
    ),
  z
    .object({
      __typename: z.literal('StatusContext'),
      context: z.string(),
      state: githubEnum,
      targetUrl: z.string().nullable(),
    })
    .transform(
      (status): StatusCheckContext => ({
        kind: 'status_context',
        context: status.context,
        state: status.state,
        targetUrl: status.targetUrl,
      }),
    ),
  z.object({ __typename: z.string() }).transform(() => null),
]);

const rollup = z
  .object({ state: githubEnum, contexts: connectionNodes(context) })
  .nullable();

const headCommit = z.object({ commit: z.object({ oid: z.string(), statusCheckRollup: rollup }) });

const data = z.object({
  repository: z
    .object({
      pullRequest: z
        .object({
          title: z.string(),
          body: z.string(),
          isDraft: z.boolean(),
          state: githubEnum,
          url: z.string(),
          headRefOid: z.string(),
          baseRefName: z.string(),
          headRefName: z.string(),
          labels: connectionNodes(z.object({ name: z.string() })),
          files: connectionNodes(file),
          changedFiles: z.number().int(),
          additions: z.number().int(),
          deletions: z.number().int(),
          commits: connectionNodes(headCommit),
        })
        .nullable(),
    })
    .nullable(),
});

// The rollup is read through `commits(last: 1)` rather than `PullRequest.statusCheckRollup`,
// which older GitHub Enterprise Server schemas lack.
const query = `query PullRequestForAnalysis($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      title
      body
      isDraft
      state
      url
      headRefOid
      baseRefName
      headRefName
      labels(first: 50) { nodes { name } }
      files(first: 100) { nodes { path additions deletions changeType } }
      changedFiles
      additions
      deletions
      commits(last: 1) {
        nodes {
          commit {
            oid
            statusCheckRollup {
              state
              contexts(first: 100) {
                nodes {
                  __typename
                  ... on CheckRun { name conclusion status detailsUrl }
                  ... on StatusContext { context state targetUrl }
                }
              }
            }
          }
        }
      }
    }
  }
}`;

/** Reads a pull request by owner, repository name and number, for `pull_request_analysis`. */
export const pullRequestQuery: GithubQuery<PullRequestQueryInput, PullRequestDetails> = {
  operation: 'pull_request',
  operationName: 'PullRequestForAnalysis',
  query,
  variables: (input) => ({ owner: input.owner, name: input.repo, number: input.number }),
  toResult(answer, input) {
    const pullRequest = data.parse(answer).repository?.pullRequest;
    if (!pullRequest) {
      throw new AppError('permanent_failure', `Pull request ${input.owner}/${input.repo}#${input.number} was not found`);
    }
    const { commits, labels, ...fields } = pullRequest;
    const rollupOfHead = commits.at(-1)?.commit.statusCheckRollup ?? null;
    return {
      ...fields,
      labels: labels.map((label) => label.name),
      checks: {
        state: rollupOfHead?.state ?? null,
        contexts: (rollupOfHead?.contexts ?? []).filter((entry) => entry !== null),
      },
    };
  },
};
