import { expect } from 'chai';
import { isTransientBatchFailure } from '../../../src/actors/is-transient-batch-failure.js';
import { AppError } from '../../../src/errors/app-error.js';

describe('isTransientBatchFailure', () => {
  it('retries a dependency blip: a timeout or a failed call', () => {
    expect(isTransientBatchFailure(new AppError('dependency_timeout', 'no answer'))).to.equal(true);
    expect(isTransientBatchFailure(new AppError('dependency_failed', '502'))).to.equal(true);
  });

  it('does not retry an instruction to wait, which belongs in JetStream', () => {
    expect(isTransientBatchFailure(new AppError('rate_limited', 'wait', { retryAfterSeconds: 30 }))).to.equal(false);
    expect(isTransientBatchFailure(new AppError('circuit_open', 'open'))).to.equal(false);
  });

  it('does not retry a permanent error or bad data', () => {
    expect(isTransientBatchFailure(new AppError('permanent_failure', 'no such run'))).to.equal(false);
    expect(isTransientBatchFailure(Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' }))).to.equal(false);
    expect(isTransientBatchFailure(new Error('something else'))).to.equal(false);
  });

  it('retries a dropped connection to PostgreSQL', () => {
    expect(isTransientBatchFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).to.equal(true);
  });

  it('retries a serialization failure or a deadlock, found by SQLSTATE through the causes', () => {
    expect(isTransientBatchFailure(Object.assign(new Error('could not serialize access'), { code: '40001' }))).to.equal(true);
    expect(isTransientBatchFailure(Object.assign(new Error('driver'), { sqlState: '40P01' }))).to.equal(true);
    const wrapped = new Error('transaction failed', { cause: new Error('query failed', { cause: Object.assign(new Error('deadlock detected'), { code: '40P01' }) }) });
    expect(isTransientBatchFailure(wrapped)).to.equal(true);
  });
});
