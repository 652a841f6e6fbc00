import { expect } from 'chai';
import { graphql } from '@octokit/graphql';
import { z } from 'zod';
import { AppError } from '../../../../src/errors/app-error.js';
import { classifyGithubError } from '../../../../src/effects/github/classify-github-error.js';
import {
  githubGraphqlError,
  startGithubGraphqlDouble,
  type GithubGraphqlDouble,
} from '../../../helpers/github-graphql-double.js';

describe('classifyGithubError', function () {
  this.timeout(30_000);
  let double: GithubGraphqlDouble;
  const context = { operation: 'pull_request', nowMs: Date.now() };

  const thrownBy = async (query: string): Promise<unknown> =>
    graphql.defaults({ url: double.url, headers: { authorization: 'bearer test' } })(query).then(
      () => expect.fail('expected GitHub to answer with errors'),
      (error: unknown) => error,
    );

  before(async () => {
    double = await startGithubGraphqlDouble();
  });

  after(async () => {
    await double.close();
  });

  it('treats a query GitHub refuses to run as a permanent failure (our bug, not a blip)', async () => {
    const error = classifyGithubError(await thrownBy('query Broken { repository(owner: "o") { nope } }'), context);

    expect(error.code).to.equal('permanent_failure');
    expect(double.invalidQueries).to.have.length(1);
    expect(double.invalidQueries[0]?.errors.join(' ')).to.include('nope');
    double.invalidQueries.length = 0;
  });

  it('treats an unparsable query as a permanent failure', async () => {
    const error = classifyGithubError(await thrownBy('query {'), context);
    expect(error.code).to.equal('permanent_failure');
    expect(double.invalidQueries).to.have.length(1);
    double.invalidQueries.length = 0;
  });

  it('treats transient GraphQL error types as retryable and other types as permanent', async () => {
    const query = 'query Viewer { viewer { login } }';
    const verdicts: string[] = [];
    for (const type of ['SERVICE_UNAVAILABLE', 'INSUFFICIENT_SCOPES']) {
      double.setMocks({}, {
        User: {
          login: () => {
            throw githubGraphqlError(type, 'nope');
          },
        },
      });
      verdicts.push(classifyGithubError(await thrownBy(query), context).code);
    }
    expect(verdicts).to.deep.equal(['dependency_failed', 'permanent_failure']);
    expect(double.invalidQueries).to.deep.equal([]);
  });

  it('names the path of an answer that does not fit the expected shape', () => {
    const drift = z.object({ repository: z.object({ name: z.string() }) }).safeParse({ repository: { name: 1 } });
    expect(drift.success).to.equal(false);

    const error = classifyGithubError(drift.error, context);

    expect(error.code).to.equal('permanent_failure');
    expect(error.message).to.include('repository.name');
  });

  it('keeps AppErrors as they are and treats unknown failures as retryable dependency failures', () => {
    const own = new AppError('not_configured', 'GitHub credentials are not configured');
    expect(classifyGithubError(own, context)).to.equal(own);
    expect(classifyGithubError(new TypeError('socket hang up'), context).code).to.equal('dependency_failed');
  });

  it('recognises a timeout anywhere in the cause chain', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const wrapped = Object.assign(new Error('fetch failed', { cause: timeout }), { name: 'HttpError', status: 500 });
    expect(classifyGithubError(wrapped, context).code).to.equal('dependency_timeout');
  });
});
