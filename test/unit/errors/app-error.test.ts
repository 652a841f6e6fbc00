import { expect } from 'chai';
import { AppError, isAppError } from '../../../src/errors/app-error.js';

describe('AppError', () => {
  it('carries its code, message, cause, retry hint and details', () => {
    const cause = new Error('socket hang up');
    const error = new AppError('dependency_failed', 'GitHub did not answer', { cause, retryAfterSeconds: 30, details: { operation: 'check_run' } });
    expect(error).to.be.instanceOf(Error);
    expect(error.name).to.equal('AppError');
    expect(error.code).to.equal('dependency_failed');
    expect(error.message).to.equal('GitHub did not answer');
    expect(error.cause).to.equal(cause);
    expect(error.retryAfterSeconds).to.equal(30);
    expect(error.details).to.deep.equal({ operation: 'check_run' });
  });

  it('has no cause property at all when none is given', () => {
    expect(new AppError('not_found', 'no task')).to.not.have.property('cause');
  });

  it('reads its HTTP status and exposure from the error table', () => {
    const client = new AppError('validation_failed', 'limit must be a whole number');
    expect([client.status, client.expose]).to.deep.equal([400, true]);
    const server = new AppError('internal_error', 'database row malformed');
    expect([server.status, server.expose]).to.deep.equal([500, false]);
    expect(new AppError('rate_limited', 'slow down').status).to.equal(429);
  });
});

describe('isAppError', () => {
  it('recognises AppErrors and nothing else, whatever it looks like', () => {
    expect(isAppError(new AppError('conflict', 'exists'))).to.equal(true);
    expect(isAppError(Object.assign(new Error('look-alike'), { code: 'conflict', name: 'AppError' }))).to.equal(false);
    expect(isAppError({ code: 'conflict' })).to.equal(false);
    expect(isAppError(undefined)).to.equal(false);
  });
});
