import { z } from 'zod';
import { connectionNodes } from './connection-nodes.js';
import { githubEnum } from './github-enum.js';

/** A pull request a commit belongs to. `state` is lower-case ('open', 'closed', 'merged'). */
export interface AssociatedPullRequest {
  number: number;
  state: string;
  headRefOid: string;
  isDraft: boolean;
  /** Label names, the first 50. */
  labels: string[];
}

const label = z.object({ name: z.string() }).transform((node) => node.name);

const pullRequest = z.object({
  number: z.number().int(),
  state: githubEnum,
  headRefOid: z.string(),
  isDraft: z.boolean(),
  labels: connectionNodes(label),
});

/**
 * The `AssociatedPullRequests` fragment (on Commit: its first five pull requests) and the zod
 * schema that reads the commit's `associatedPullRequests` into {@link AssociatedPullRequest}s.
 * A document using it must append `associatedPullRequests.fragment`.
 */
export const associatedPullRequests = {
  fragment: `
fragment AssociatedPullRequests on Commit {
  associatedPullRequests(first: 5) {
    nodes {
      number
      state
      headRefOid
      isDraft
      labels(first: 50) { nodes { name } }
    }
  }
}`,
  schema: connectionNodes(pullRequest),
};
