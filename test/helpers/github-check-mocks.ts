import type { GithubGraphqlDouble } from './github-graphql-double.js';

export interface MockedCheckRun {
  nodeId: string;
  name: string;
  annotations: Array<{ path: string; line: number; message: string }>;
  /** This run's own commit and pull request, when they differ from the shared ones. */
  headSha?: string;
  prNumber?: number;
}

/**
 * Answers `node(id:)` for the given check runs as GitHub would: failed, on `headSha`, with their
 * annotations, and `headSha` the head of open pull request `prNumber` (labels as given).
 * Pull request queries answer with that pull request.
 */
export function mockFailedChecks(
  double: GithubGraphqlDouble,
  options: { headSha: string; prNumber: number; runs: MockedCheckRun[]; labels?: string[]; prHeadSha?: string },
  /** More resolvers to install along (setMocks replaces every earlier one). */
  extraResolvers: Record<string, Record<string, unknown>> = {},
): void {
  const prFor = (run: MockedCheckRun) => ({
    number: run.prNumber ?? options.prNumber,
    state: 'OPEN',
    headRefOid: run.headSha ?? options.prHeadSha ?? options.headSha,
    isDraft: false,
    labels: { nodes: (options.labels ?? []).map((name) => ({ name })) },
  });
  const byId = new Map(options.runs.map((run) => [run.nodeId, run]));
  double.setMocks({}, {
    ...extraResolvers,
    Query: {
      node: (_root: unknown, args: { id: string }) => {
        const run = byId.get(args.id);
        if (!run) return null;
        return {
          __typename: 'CheckRun',
          name: run.name,
          conclusion: 'FAILURE',
          status: 'COMPLETED',
          detailsUrl: `https://github.com/octo/widgets/runs/${run.nodeId}`,
          title: `${run.name} failed`,
          summary: `${run.annotations.length} problem(s)`,
          text: null,
          annotations: {
            nodes: run.annotations.map((annotation) => ({
              path: annotation.path,
              annotationLevel: 'FAILURE',
              message: annotation.message,
              title: null,
              location: { start: { line: annotation.line }, end: { line: annotation.line } },
            })),
          },
          checkSuite: {
            app: { name: 'GitHub Actions' },
            commit: { oid: run.headSha ?? options.headSha, associatedPullRequests: { nodes: [prFor(run)] } },
          },
        };
      },
    },
  });
}
