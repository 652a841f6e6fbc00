import { expect } from 'chai';
import { parse, validate } from 'graphql';
import { checkRunFields } from '../../../../../src/effects/github/queries/check-run-fields.js';
import { githubGraphqlSchema } from '../../../../helpers/github-graphql-double.js';

const answer = () => ({
  name: 'unit',
  conclusion: 'STARTUP_FAILURE',
  status: 'COMPLETED',
  detailsUrl: 'https://github.com/o/r/actions/runs/1',
  title: '2 tests failed',
  summary: 'See the annotations',
  text: null,
  annotations: {
    nodes: [
      {
        path: 'src/cache.ts',
        annotationLevel: 'FAILURE',
        message: 'expected 1 to equal 2',
        title: 'cache test',
        location: { start: { line: 12 }, end: { line: 14 } },
      },
      null,
      { path: 'README.md', annotationLevel: null, message: 'lint', title: null, location: { start: { line: 1 }, end: { line: 1 } } },
    ],
  },
});

describe('checkRunFields', () => {
  it('is a fragment GitHub’s published schema accepts on a check run', () => {
    const document = parse(`query { node(id: "x") { ... on CheckRun { ...CheckRunFields } } }\n${checkRunFields.fragment}`);
    expect(validate(githubGraphqlSchema(), document).map((error) => error.message)).to.deep.equal([]);
  });

  it('reads GitHub’s answer into a report with lower-case enums and flat annotation lines', () => {
    expect(checkRunFields.schema.parse(answer())).to.deep.equal({
      name: 'unit',
      conclusion: 'startup_failure',
      status: 'completed',
      detailsUrl: 'https://github.com/o/r/actions/runs/1',
      title: '2 tests failed',
      summary: 'See the annotations',
      text: null,
      annotations: [
        { path: 'src/cache.ts', startLine: 12, endLine: 14, level: 'failure', message: 'expected 1 to equal 2', title: 'cache test' },
        { path: 'README.md', startLine: 1, endLine: 1, level: null, message: 'lint', title: null },
      ],
    });
  });

  it('reads a run still in progress, without conclusion or annotations', () => {
    const report = checkRunFields.schema.parse({ ...answer(), conclusion: null, status: 'IN_PROGRESS', annotations: null });
    expect(report).to.deep.include({ conclusion: null, status: 'in_progress', annotations: [] });
  });

  it('fails on an annotation without a location, a schema drift the client reports', () => {
    const drifted: Record<string, any> = answer();
    delete drifted.annotations.nodes[0].location;
    expect(checkRunFields.schema.safeParse(drifted).success).to.equal(false);
  });
});
