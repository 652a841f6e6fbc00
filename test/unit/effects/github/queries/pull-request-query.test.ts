import { expect } from 'chai';
import { parse, validate } from 'graphql';
import { AppError } from '../../../../../src/errors/app-error.js';
import { pullRequestQuery } from '../../../../../src/effects/github/queries/pull-request-query.js';
import { githubGraphqlSchema } from '../../../../helpers/github-graphql-double.js';
import { useGithubQueryHarness } from '../../../../helpers/github-query-harness.js';

const HEAD = 'c0ffee'.padEnd(40, '0');

describe('pullRequestQuery', function () {
  this.timeout(30_000);
  const harness = useGithubQueryHarness();

  it("is a named operation that validates against GitHub's schema", () => {
    const document = parse(pullRequestQuery.query);
    expect(validate(githubGraphqlSchema(), document)).to.deep.equal([]);
    expect(document.definitions[0]).to.include({ kind: 'OperationDefinition' });
    expect(pullRequestQuery.operationName).to.equal('PullRequestForAnalysis');
  });

  it('reads title, draft state, labels, files and the head commit rollup, with lower-case enums', async () => {
    harness.double.setMocks({}, {
      Repository: {
        pullRequest: () => ({
          title: 'Cache widget lookups',
          body: 'Adds an LRU in front of the widget store.',
          isDraft: false,
          state: 'OPEN',
          url: 'https://github.com/octo/widgets/pull/7',
          headRefOid: HEAD,
          baseRefName: 'main',
          headRefName: 'feature/cache',
          changedFiles: 2,
          additions: 40,
          deletions: 3,
          labels: { nodes: [{ name: 'codegen:review' }, { name: 'performance' }] },
          files: {
            nodes: [
              { path: 'src/cache.ts', additions: 38, deletions: 0, changeType: 'ADDED' },
              { path: 'src/store.ts', additions: 2, deletions: 3, changeType: 'MODIFIED' },
            ],
          },
          commits: {
            nodes: [
              {
                commit: {
                  oid: HEAD,
                  statusCheckRollup: {
                    state: 'FAILURE',
                    contexts: {
                      nodes: [
                        {
                          __typename: 'CheckRun',
                          name: 'build',
                          conclusion: 'TIMED_OUT',
                          status: 'COMPLETED',
                          detailsUrl: 'https://ci.example/runs/1',
                        },
                        { __typename: 'StatusContext', context: 'ci/legacy', state: 'SUCCESS', targetUrl: null },
                      ],
                    },
                  },
                },
              },
            ],
          },
        }),
      },
    });

    const details = await harness.client.pullRequest({ owner: 'octo', repo: 'widgets', number: 7 });

    expect(details).to.deep.equal({
      title: 'Cache widget lookups',
      body: 'Adds an LRU in front of the widget store.',
      isDraft: false,
      state: 'open',
      url: 'https://github.com/octo/widgets/pull/7',
      headRefOid: HEAD,
      baseRefName: 'main',
      headRefName: 'feature/cache',
      labels: ['codegen:review', 'performance'],
      files: [
        { path: 'src/cache.ts', additions: 38, deletions: 0, changeType: 'added' },
        { path: 'src/store.ts', additions: 2, deletions: 3, changeType: 'modified' },
      ],
      changedFiles: 2,
      additions: 40,
      deletions: 3,
      checks: {
        state: 'failure',
        contexts: [
          { kind: 'check_run', name: 'build', conclusion: 'timed_out', status: 'completed', detailsUrl: 'https://ci.example/runs/1' },
          { kind: 'status_context', context: 'ci/legacy', state: 'success', targetUrl: null },
        ],
      },
    });
    const sent = harness.double.requests.at(-1);
    expect(sent?.operationName).to.equal('PullRequestForAnalysis');
    expect(sent?.variables).to.deep.equal({ owner: 'octo', name: 'widgets', number: 7 });
  });

  it('reports no checks when the head commit has no status check rollup yet', async () => {
    harness.double.setMocks({}, {
      Repository: { pullRequest: () => ({ commits: { nodes: [{ commit: { oid: HEAD, statusCheckRollup: null } }] } }) },
    });
    const details = await harness.client.pullRequest({ owner: 'octo', repo: 'widgets', number: 8 });
    expect(details.checks).to.deep.equal({ state: null, contexts: [] });
  });

  it('fails permanently when the pull request does not exist', async () => {
    harness.double.setMocks({}, { Repository: { pullRequest: () => null } });
    const error = await harness.client.pullRequest({ owner: 'octo', repo: 'widgets', number: 404 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AppError);
    expect(error).to.include({ code: 'permanent_failure', message: 'Pull request octo/widgets#404 was not found' });
  });
});
