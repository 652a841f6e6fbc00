import { expect } from 'chai';
import {
  DEFAULT_PAGE_SIZE,
  deliveryIdParam,
  errorBodySchema,
  eventNameParam,
  limitParam,
  MAX_PAGE_SIZE,
  NO_PARAMETERS,
  offsetParam,
  repositoryParam,
} from '../../../../src/api/schemas/common-schemas.js';
import { apiSchemas } from '../../../../src/api/schemas/api-schema-registry.js';

const accepts = (schema: { safeParse(value: unknown): { success: boolean } }, value: unknown) => schema.safeParse(value).success;

describe('limitParam', () => {
  it('defaults to 50 and reads whole numbers from 1 to 1000', () => {
    expect(limitParam.parse(undefined)).to.equal(DEFAULT_PAGE_SIZE);
    expect(limitParam.parse('1')).to.equal(1);
    expect(limitParam.parse(String(MAX_PAGE_SIZE))).to.equal(1000);
  });

  it('refuses zero, too large a page and numbers written any other way', () => {
    for (const bad of ['0', '1001', '1e3', '0x10', ' 5', '5.0', '-1', '']) expect(accepts(limitParam, bad), bad).to.equal(false);
  });
});

describe('offsetParam', () => {
  it('defaults to 0 and reads any whole number', () => {
    expect(offsetParam.parse(undefined)).to.equal(0);
    expect(offsetParam.parse('0')).to.equal(0);
    expect(offsetParam.parse('999999999')).to.equal(999_999_999);
    expect(accepts(offsetParam, '-1')).to.equal(false);
    expect(accepts(offsetParam, '1234567890')).to.equal(false);
  });
});

describe('repositoryParam', () => {
  it('accepts owner/name as GitHub spells them', () => {
    for (const good of ['octo-org/widgets', 'Codertocat/Hello-World', 'a/.github', 'o/r_1.x']) expect(accepts(repositoryParam, good), good).to.equal(true);
  });

  it('refuses anything else', () => {
    for (const bad of ['widgets', 'o/r/extra', '-o/r', 'o/', `${'o'.repeat(40)}/r`, 'o/r?x=1']) expect(accepts(repositoryParam, bad), bad).to.equal(false);
  });
});

describe('deliveryIdParam', () => {
  it('applies the rule ingress applies to X-GitHub-Delivery', () => {
    expect(accepts(deliveryIdParam, '72d3162e-cc78-11e3-81ab-4c9367dc0958')).to.equal(true);
    expect(accepts(deliveryIdParam, 'a/b')).to.equal(false);
    expect(accepts(deliveryIdParam, 'x'.repeat(129))).to.equal(false);
  });
});

describe('eventNameParam', () => {
  it('applies the rule ingress applies to X-GitHub-Event', () => {
    expect(accepts(eventNameParam, 'pull_request')).to.equal(true);
    for (const bad of ['Pull_Request', '1push', 'push.opened', '']) expect(accepts(eventNameParam, bad), bad).to.equal(false);
  });
});

describe('NO_PARAMETERS', () => {
  it('refuses any parameter', () => {
    expect(accepts(NO_PARAMETERS, {})).to.equal(true);
    expect(accepts(NO_PARAMETERS, { limit: '5' })).to.equal(false);
  });
});

describe('errorBodySchema', () => {
  it('accepts the error body for known codes only, and is named Error in the document', () => {
    expect(accepts(errorBodySchema, { error: { code: 'not_found', message: 'no task', correlation_id: 'r-1' } })).to.equal(true);
    expect(accepts(errorBodySchema, { error: { code: 'teapot', message: 'x', correlation_id: 'r-1' } })).to.equal(false);
    expect(apiSchemas.get(errorBodySchema)?.id).to.equal('Error');
  });
});
