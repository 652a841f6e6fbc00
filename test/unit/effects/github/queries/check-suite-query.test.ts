import { expect } from 'chai';
import { parse, validate } from 'graphql';
import { AppError } from '../../../../../src/errors/app-error.js';
import { checkSuiteQuery } from '../../../../../src/effects/github/queries/check-suite-query.js';
import { githubGraphqlSchema } from '../../../../helpers/github-graphql-double.js';
import { useGithubQueryHarness } from '../../../../helpers/github-query-harness.js';

const HEAD = 'beef'.padEnd(40, '2');

const failedRun = (name: string, conclusion: string, message: string) => ({
  name,
  conclusion,
  status: 'COMPLETED',
  detailsUrl: `https://ci.example/${name}`,
  title: `${name} failed`,
  summary: null,
  text: 'log tail',
  annotations: {
    nodes: [
      {
        path: 'src/app.ts',
        annotationLevel: 'FAILURE',
        message,
        title: null,
        location: { start: { line: 3 }, end: { line: 3 } },
      },
    ],
  },
});

describe('checkSuiteQuery', function () {
  this.timeout(30_000);
  const harness = useGithubQueryHarness();

  it("is a named operation that validates against GitHub's schema", () => {
    expect(validate(githubGraphqlSchema(), parse(checkSuiteQuery.query))).to.deep.equal([]);
    expect(checkSuiteQuery.query).to.match(/^query CheckSuiteForAnalysis\(/);
  });

  it('asks GitHub for the failed, timed-out and startup-failed runs only, and reads each with its annotations', async () => {
    let runFilter: unknown;
    harness.double.setMocks({}, {
      Query: {
        node: () => ({
          __typename: 'CheckSuite',
          conclusion: 'FAILURE',
          status: 'COMPLETED',
          app: { name: 'GitHub Actions' },
          branch: { name: 'feature/cache' },
          commit: {
            oid: HEAD,
            associatedPullRequests: {
              nodes: [{ number: 9, state: 'OPEN', headRefOid: HEAD, isDraft: true, labels: { nodes: [] } }],
            },
          },
        }),
      },
      CheckSuite: {
        checkRuns: (_suite: unknown, args: { filterBy?: unknown }) => {
          runFilter = args.filterBy;
          return {
            nodes: [failedRun('lint', 'FAILURE', 'no-unused-vars'), failedRun('e2e', 'TIMED_OUT', 'timed out after 60m')],
          };
        },
      },
    });

    const details = await harness.client.checkSuite({ nodeId: 'CS_kwDOAbc' });

    expect(runFilter).to.deep.equal({ conclusions: ['FAILURE', 'TIMED_OUT', 'STARTUP_FAILURE'] });
    expect(details).to.deep.include({
      conclusion: 'failure',
      status: 'completed',
      appName: 'GitHub Actions',
      headSha: HEAD,
      branch: 'feature/cache',
      pullRequests: [{ number: 9, state: 'open', headRefOid: HEAD, isDraft: true, labels: [] }],
    });
    expect(details.failedRuns.map((run) => [run.name, run.conclusion, run.annotations[0]?.message])).to.deep.equal([
      ['lint', 'failure', 'no-unused-vars'],
      ['e2e', 'timed_out', 'timed out after 60m'],
    ]);
    expect(details.failedRuns[0]).to.include({ text: 'log tail', summary: null, detailsUrl: 'https://ci.example/lint' });
  });

  it('reads a suite whose branch is gone as branch null', async () => {
    harness.double.setMocks({}, {
      Query: { node: () => ({ __typename: 'CheckSuite', branch: null, checkRuns: { nodes: [] } }) },
    });
    const details = await harness.client.checkSuite({ nodeId: 'CS_gone' });
    expect(details.branch).to.equal(null);
    expect(details.failedRuns).to.deep.equal([]);
  });

  it('fails permanently when the node does not exist', async () => {
    harness.double.setMocks({}, { Query: { node: () => null } });
    const error = await harness.client.checkSuite({ nodeId: 'CS_missing' }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AppError);
    expect(error).to.include({ code: 'permanent_failure', message: 'Check suite CS_missing was not found' });
  });
});
