import { z } from 'zod';
import { AppError } from '../../../errors/app-error.js';
import { associatedPullRequests, type AssociatedPullRequest } from './associated-pull-requests.js';
import { checkRunFields, type CheckRunReport } from './check-run-fields.js';
import type { GithubQuery } from './github-query.js';

/** Which check run to read: the webhook's `check_run.node_id`. */
export interface CheckRunQueryInput {
  nodeId: string;
}

/** What a `check_failure_analysis` needs: the run's report, where it ran, and its pull requests. */
export interface CheckRunDetails extends CheckRunReport {
  /** The GitHub App that ran the check (e.g. "GitHub Actions"); null when GitHub hides it. */
  appName: string | null;
  /** The commit the check ran on. */
  headSha: string;
  /** Up to five pull requests containing that commit. */
  pullRequests: AssociatedPullRequest[];
}

const data = z.object({
  node: z
    .object({
      __typename: z.string(),
      checkSuite: z
        .object({
          app: z.object({ name: z.string() }).nullable(),
          commit: z.object({ oid: z.string(), associatedPullRequests: associatedPullRequests.schema }),
        })
        .optional(),
    })
    .loose()
    .nullable(),
});

const query = `query CheckRunForAnalysis($id: ID!) {
  node(id: $id) {
    __typename
    ... on CheckRun {
      ...CheckRunFields
      checkSuite {
        app { name }
        commit {
          oid
          ...AssociatedPullRequests
        }
      }
    }
  }
}
${checkRunFields.fragment}
${associatedPullRequests.fragment}`;

/** Reads a check run by node id, with output, annotations and pull requests, for `check_failure_analysis`. */
export const checkRunQuery: GithubQuery<CheckRunQueryInput, CheckRunDetails> = {
  operation: 'check_run',
  operationName: 'CheckRunForAnalysis',
  query,
  variables: (input) => ({ id: input.nodeId }),
  toResult(answer, input) {
    const node = data.parse(answer).node;
    if (!node || node.__typename !== 'CheckRun' || !node.checkSuite) {
      throw new AppError('permanent_failure', `Check run ${input.nodeId} was not found`);
    }
    return {
      ...checkRunFields.schema.parse(node),
      appName: node.checkSuite.app?.name ?? null,
      headSha: node.checkSuite.commit.oid,
      pullRequests: node.checkSuite.commit.associatedPullRequests,
    };
  },
};
