import { expect } from 'chai';
import { agentRunResponseSchema, toCodegenRun } from '../../../../src/effects/codegen/codegen-run.js';

describe('toCodegenRun', () => {
  it('accepts the documented nullable fields as null and keeps unknown fields out of the result', () => {
    const parsed = agentRunResponseSchema.parse({
      id: 7,
      organization_id: 1,
      status: null,
      created_at: null,
      web_url: null,
      result: null,
      summary: null,
      source_type: 'API',
      github_pull_requests: null,
      metadata: null,
      a_field_added_later: { anything: true },
    });

    expect(toCodegenRun(parsed)).to.deep.equal({ id: 7, status: '', state: 'unknown' });
  });

  it('maps pull requests with only their required fields', () => {
    const parsed = agentRunResponseSchema.parse({ id: 8, status: 'COMPLETE', github_pull_requests: [{ id: 3, created_at: '2025-01-01T00:00:00Z' }] });

    expect(toCodegenRun(parsed)).to.deep.equal({ id: 8, status: 'COMPLETE', state: 'completed', pullRequests: [{ id: 3, createdAt: '2025-01-01T00:00:00Z' }] });
  });

  it('rejects a body without a numeric id', () => {
    expect(agentRunResponseSchema.safeParse({ status: 'ACTIVE' }).success).to.equal(false);
    expect(agentRunResponseSchema.safeParse({ id: 'abc' }).success).to.equal(false);
  });
});
