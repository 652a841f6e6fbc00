import { expect } from 'chai';
import { createGithubClient, type GithubClient } from '../../src/effects/github/create-github-client.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { startGithubGraphqlDouble, type GithubGraphqlDouble } from './github-graphql-double.js';

/**
 * Registers, in the calling `describe`, a GraphQL double of GitHub and a token client pointed at
 * it, and fails any test during which the client sent a query GitHub's schema rejects.
 */
export function useGithubQueryHarness(): { readonly double: GithubGraphqlDouble; readonly client: GithubClient } {
  let double: GithubGraphqlDouble | undefined;
  let client: GithubClient | undefined;
  before(async () => {
    double = await startGithubGraphqlDouble();
    client = createGithubClient({
      graphqlUrl: double.url,
      auth: { kind: 'token', token: 'ghp_queryTests' },
      logger: createLogger({ level: 'fatal' }),
      metrics: createMetrics({ defaultMetrics: false }),
    });
  });
  after(async () => {
    await double?.close();
  });
  afterEach(() => {
    expect(double!.invalidQueries).to.deep.equal([]);
  });
  return {
    get double() {
      return double!;
    },
    get client() {
      return client!;
    },
  };
}
