import { expect } from 'chai';
import { codegenResponseError, parseRetryAfter } from '../../../../src/effects/codegen/codegen-response-error.js';

const base = { operation: 'create_run' as const, retryAfter: null, fallbackRetryAfterSeconds: 60, now: Date.UTC(2025, 0, 1) };

describe('codegenResponseError', () => {
  it('maps 402, 403, 404, 422, 429 and 5xx to their stable codes', () => {
    const codes = [402, 403, 404, 409, 422, 429, 500, 503].map((status) => [status, codegenResponseError({ ...base, status, body: undefined }).code]);

    expect(codes).to.deep.equal([
      [402, 'payment_required'],
      [403, 'permanent_failure'],
      [404, 'permanent_failure'],
      [409, 'permanent_failure'],
      [422, 'permanent_failure'],
      [429, 'rate_limited'],
      [500, 'dependency_failed'],
      [503, 'dependency_failed'],
    ]);
  });

  it('joins every FastAPI validation item as location: message', () => {
    const error = codegenResponseError({
      ...base,
      status: 422,
      body: { detail: [{ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing', input: { secret: 'x' } }, { loc: ['body', 'repo_id'], msg: 'Input should be a valid integer' }] },
    });

    expect(error.message).to.equal('Codegen rejected create_run (HTTP 422): body.prompt: Field required; body.repo_id: Input should be a valid integer');
    expect(error.details).to.deep.equal({ operation: 'create_run', httpStatus: 422 });
  });

  it('uses a string detail or the documented message field, bounded in length', () => {
    const fromDetail = codegenResponseError({ ...base, status: 404, body: { detail: 'Not Found' } });
    const fromMessage = codegenResponseError({ ...base, status: 403, body: { message: 'You do not have access to this organization.', status_code: 403 } });
    const long = codegenResponseError({ ...base, status: 400, body: 'x'.repeat(5_000) });

    expect(fromDetail.message).to.equal('Codegen rejected create_run (HTTP 404): Not Found');
    expect(fromMessage.message).to.equal('Codegen rejected create_run (HTTP 403): You do not have access to this organization.');
    expect(long.message.length).to.be.below(600);
  });

  it('removes the token from any text taken from the response', () => {
    const error = codegenResponseError({ ...base, status: 403, token: 'sekret-token', body: { message: 'token sekret-token is not a member' } });

    expect(error.message).to.equal('Codegen rejected create_run (HTTP 403): token [REDACTED] is not a member');
  });

  it('takes retryAfterSeconds from Retry-After, else from the fallback', () => {
    const header = codegenResponseError({ ...base, status: 429, body: undefined, retryAfter: '12' });
    const none = codegenResponseError({ ...base, status: 429, body: undefined });

    expect([header.retryAfterSeconds, none.retryAfterSeconds]).to.deep.equal([12, 60]);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);

  it('reads delta-seconds and HTTP dates, rounding up to at least 1 s', () => {
    const values = ['30', '0.2', new Date(now + 45_500).toUTCString(), new Date(now - 5_000).toUTCString()].map((value) => parseRetryAfter(value, now));

    expect(values).to.deep.equal([30, 1, 45, 1]);
  });

  it('returns undefined for a missing or unparsable header', () => {
    expect([null, '', 'soon'].map((value) => parseRetryAfter(value, now))).to.deep.equal([undefined, undefined, undefined]);
  });
});
