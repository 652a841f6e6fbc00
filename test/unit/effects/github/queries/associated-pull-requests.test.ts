import { expect } from 'chai';
import { parse, validate } from 'graphql';
import { associatedPullRequests } from '../../../../../src/effects/github/queries/associated-pull-requests.js';
import { githubGraphqlSchema } from '../../../../helpers/github-graphql-double.js';

describe('associatedPullRequests', () => {
  it('is a fragment GitHub’s published schema accepts on a commit', () => {
    const document = parse(
      `query { repository(owner: "o", name: "r") { object(oid: "abc") { ... on Commit { ...AssociatedPullRequests } } } }\n${associatedPullRequests.fragment}`,
    );
    expect(validate(githubGraphqlSchema(), document).map((error) => error.message)).to.deep.equal([]);
  });

  it('reads GitHub’s answer into pull requests with lower-case states and label names', () => {
    const answer = {
      nodes: [
        { number: 7, state: 'OPEN', headRefOid: 'a'.repeat(40), isDraft: false, labels: { nodes: [{ name: 'codegen:review' }, null] } },
        null,
        { number: 3, state: 'MERGED', headRefOid: 'b'.repeat(40), isDraft: true, labels: null },
      ],
    };
    expect(associatedPullRequests.schema.parse(answer)).to.deep.equal([
      { number: 7, state: 'open', headRefOid: 'a'.repeat(40), isDraft: false, labels: ['codegen:review'] },
      { number: 3, state: 'merged', headRefOid: 'b'.repeat(40), isDraft: true, labels: [] },
    ]);
  });

  it('reads a commit without pull requests as none', () => {
    expect(associatedPullRequests.schema.parse(null)).to.deep.equal([]);
  });

  it('fails on a pull request missing its head, a schema drift the client reports', () => {
    expect(associatedPullRequests.schema.safeParse({ nodes: [{ number: 7, state: 'OPEN', isDraft: false, labels: null }] }).success).to.equal(false);
  });
});
