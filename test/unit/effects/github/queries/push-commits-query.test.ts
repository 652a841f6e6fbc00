import { expect } from 'chai';
import { parse, validate } from 'graphql';
import { AppError } from '../../../../../src/errors/app-error.js';
import { pushCommitsQuery } from '../../../../../src/effects/github/queries/push-commits-query.js';
import { githubGraphqlSchema } from '../../../../helpers/github-graphql-double.js';
import { useGithubQueryHarness } from '../../../../helpers/github-query-harness.js';

const sha = (digit: string) => digit.repeat(40);

const commit = (oid: string, message: string) => ({
  oid,
  message,
  committedDate: '2024-05-01T10:00:00Z',
  additions: 5,
  deletions: 1,
  changedFilesIfAvailable: 2,
  author: { name: 'Mona', email: 'mona@example.com' },
});

describe('pushCommitsQuery', function () {
  this.timeout(30_000);
  const harness = useGithubQueryHarness();

  beforeEach(() => {
    harness.double.setMocks({}, {
      Repository: {
        defaultBranchRef: () => ({ name: 'main' }),
        object: () => ({
          __typename: 'Commit',
          ...commit(sha('3'), 'Fix the cache'),
          history: {
            nodes: [
              commit(sha('3'), 'Fix the cache'),
              commit(sha('2'), 'Add the cache'),
              { ...commit(sha('1'), 'Before the push'), changedFilesIfAvailable: null, author: null },
            ],
          },
        }),
      },
    });
  });

  it("is a named operation that validates against GitHub's schema", () => {
    expect(validate(githubGraphqlSchema(), parse(pushCommitsQuery.query))).to.deep.equal([]);
    expect(pushCommitsQuery.query).to.match(/^query PushCommitsForAnalysis\(/);
  });

  it('reads the default branch, the head commit and its history by oid', async () => {
    const push = await harness.client.pushCommits({ owner: 'octo', repo: 'widgets', sha: sha('3') });

    expect(harness.double.requests.at(-1)?.variables).to.deep.equal({ owner: 'octo', name: 'widgets', oid: sha('3') });
    expect(push.defaultBranch).to.equal('main');
    expect(push.head).to.deep.equal({
      sha: sha('3'),
      message: 'Fix the cache',
      committedDate: '2024-05-01T10:00:00Z',
      additions: 5,
      deletions: 1,
      changedFiles: 2,
      author: { name: 'Mona', email: 'mona@example.com' },
    });
    expect(push.commits.map((entry) => entry.sha)).to.deep.equal([sha('3'), sha('2'), sha('1')]);
    expect(push.commits[2]).to.include({ changedFiles: null });
    expect(push.commits[2]?.author).to.deep.equal({ name: null, email: null });
  });

  it("stops the history at the push's before SHA", async () => {
    const push = await harness.client.pushCommits({ owner: 'octo', repo: 'widgets', sha: sha('3'), before: sha('1') });
    expect(push.commits.map((entry) => entry.message)).to.deep.equal(['Fix the cache', 'Add the cache']);
  });

  it('fails permanently when the oid is not a commit', async () => {
    harness.double.setMocks({}, { Repository: { object: () => ({ __typename: 'Tree' }) } });
    const error = await harness.client.pushCommits({ owner: 'octo', repo: 'widgets', sha: sha('9') }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AppError);
    expect(error).to.include({ code: 'permanent_failure', message: `Commit ${sha('9')} of octo/widgets was not found` });
  });
});
