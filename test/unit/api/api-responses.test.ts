import { expect } from 'chai';
import { errorResponse, retryAfterHeader } from '../../../src/api/api-responses.js';
import { errorBodySchema } from '../../../src/api/schemas/common-schemas.js';

describe('errorResponse', () => {
  it('describes an error answer with the one error body', () => {
    expect(errorResponse('`not_found`: no task has this id.')).to.deep.equal({ description: '`not_found`: no task has this id.', body: errorBodySchema });
  });

  it('adds response headers only when given', () => {
    expect(errorResponse('x', retryAfterHeader).headers).to.equal(retryAfterHeader);
    expect(errorResponse('x')).to.not.have.property('headers');
  });
});

describe('retryAfterHeader', () => {
  it('is whole seconds, never negative', () => {
    const schema = retryAfterHeader['Retry-After'].schema;
    expect(schema.safeParse(5).success).to.equal(true);
    expect(schema.safeParse(-1).success).to.equal(false);
    expect(schema.safeParse(1.5).success).to.equal(false);
  });
});
