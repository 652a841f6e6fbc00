import { z } from 'zod';
import { AppError } from '../../../errors/app-error.js';
import { associatedPullRequests, type AssociatedPullRequest } from './associated-pull-requests.js';
import { checkRunFields, type CheckRunReport } from './check-run-fields.js';
import { connectionNodes } from './connection-nodes.js';
import { githubEnum } from './github-enum.js';
import type { GithubQuery } from './github-query.js';

/** Which check suite to read: the webhook's `check_suite.node_id`. */
export interface CheckSuiteQueryInput {
  nodeId: string;
}

/** What a `check_suite_failure_analysis` needs. Enum values are lower-case, as in webhook payloads. */
export interface CheckSuiteDetails {
  conclusion: string | null;
  status: string;
  appName: string | null;
  headSha: string;
  /** The head branch; null when the suite ran on a ref GitHub no longer knows. */
  branch: string | null;
  /** The suite's runs that concluded failure, timed_out or startup_failure (the first 50). */
  failedRuns: CheckRunReport[];
  /** Up to five pull requests containing the head commit. */
  pullRequests: AssociatedPullRequest[];
}

const data = z.object({
  node: z
    .object({
      __typename: z.string(),
      conclusion: githubEnum.nullable().optional(),
      status: githubEnum.optional(),
      app: z.object({ name: z.string() }).nullable().optional(),
      branch: z.object({ name: z.string() }).nullable().optional(),
      commit: z.object({ oid: z.string(), associatedPullRequests: associatedPullRequests.schema }).optional(),
      checkRuns: connectionNodes(checkRunFields.schema).optional(),
    })
    .nullable(),
});

// GitHub filters the runs server-side (CheckRunFilter.conclusions), so only failures travel.
const query = `query CheckSuiteForAnalysis($id: ID!) {
  node(id: $id) {
    __typename
    ... on CheckSuite {
      conclusion
      status
      app { name }
      branch { name }
      commit {
        oid
        ...AssociatedPullRequests
      }
      checkRuns(first: 50, filterBy: { conclusions: [FAILURE, TIMED_OUT, STARTUP_FAILURE] }) {
        nodes { ...CheckRunFields }
      }
    }
  }
}
${checkRunFields.fragment}
${associatedPullRequests.fragment}`;

/** Reads a check suite by node id with its failed runs and pull requests, for `check_suite_failure_analysis`. */
export const checkSuiteQuery: GithubQuery<CheckSuiteQueryInput, CheckSuiteDetails> = {
  operation: 'check_suite',
  operationName: 'CheckSuiteForAnalysis',
  query,
  variables: (input) => ({ id: input.nodeId }),
  toResult(answer, input) {
    const node = data.parse(answer).node;
    if (!node || node.__typename !== 'CheckSuite' || !node.commit || node.status === undefined) {
      throw new AppError('permanent_failure', `Check suite ${input.nodeId} was not found`);
    }
    return {
      conclusion: node.conclusion ?? null,
      status: node.status,
      appName: node.app?.name ?? null,
      headSha: node.commit.oid,
      branch: node.branch?.name ?? null,
      failedRuns: node.checkRuns ?? [],
      pullRequests: node.commit.associatedPullRequests,
    };
  },
};
