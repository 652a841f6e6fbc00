import { expect } from 'chai';
import { parse, validate } from 'graphql';
import { AppError } from '../../../../../src/errors/app-error.js';
import { checkRunQuery } from '../../../../../src/effects/github/queries/check-run-query.js';
import { githubGraphqlSchema } from '../../../../helpers/github-graphql-double.js';
import { useGithubQueryHarness } from '../../../../helpers/github-query-harness.js';

const HEAD = 'feed'.padEnd(40, '1');

describe('checkRunQuery', function () {
  this.timeout(30_000);
  const harness = useGithubQueryHarness();

  it("is a named operation that validates against GitHub's schema", () => {
    expect(validate(githubGraphqlSchema(), parse(checkRunQuery.query))).to.deep.equal([]);
    expect(checkRunQuery.query).to.match(/^query CheckRunForAnalysis\(/);
  });

  it('reads the output, annotations, app, commit and pull requests of a failed run by node id', async () => {
    let askedFor: unknown;
    harness.double.setMocks({}, {
      Query: {
        node: (_root: unknown, args: { id: string }) => {
          askedFor = args.id;
          return {
            __typename: 'CheckRun',
            name: 'unit tests',
            conclusion: 'FAILURE',
            status: 'COMPLETED',
            detailsUrl: 'https://github.com/octo/widgets/actions/runs/1/job/2',
            title: '2 tests failed',
            summary: 'cache.test.ts: 2 failures',
            text: null,
            annotations: {
              nodes: [
                {
                  path: 'test/cache.test.ts',
                  annotationLevel: 'FAILURE',
                  message: 'expected 2 to equal 3',
                  title: 'evicts the oldest entry',
                  location: { start: { line: 14 }, end: { line: 16 } },
                },
              ],
            },
            checkSuite: {
              app: { name: 'GitHub Actions' },
              commit: {
                oid: HEAD,
                associatedPullRequests: {
                  nodes: [{ number: 7, state: 'OPEN', headRefOid: HEAD, isDraft: false, labels: { nodes: [{ name: 'bug' }] } }],
                },
              },
            },
          };
        },
      },
    });

    const details = await harness.client.checkRun({ nodeId: 'CR_kwDOAbc' });

    expect(askedFor).to.equal('CR_kwDOAbc');
    expect(details).to.deep.equal({
      name: 'unit tests',
      conclusion: 'failure',
      status: 'completed',
      detailsUrl: 'https://github.com/octo/widgets/actions/runs/1/job/2',
      title: '2 tests failed',
      summary: 'cache.test.ts: 2 failures',
      text: null,
      annotations: [
        {
          path: 'test/cache.test.ts',
          startLine: 14,
          endLine: 16,
          level: 'failure',
          message: 'expected 2 to equal 3',
          title: 'evicts the oldest entry',
        },
      ],
      appName: 'GitHub Actions',
      headSha: HEAD,
      pullRequests: [{ number: 7, state: 'open', headRefOid: HEAD, isDraft: false, labels: ['bug'] }],
    });
    expect(harness.double.requests.at(-1)?.operationName).to.equal('CheckRunForAnalysis');
  });

  it('fails permanently when the node id names something else than a check run', async () => {
    harness.double.setMocks({}, { Query: { node: () => ({ __typename: 'Issue' }) } });
    const error = await harness.client.checkRun({ nodeId: 'I_kwDOAbc' }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AppError);
    expect(error).to.include({ code: 'permanent_failure', message: 'Check run I_kwDOAbc was not found' });
  });
});
