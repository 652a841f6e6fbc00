import { expect } from 'chai';
import { AppError } from '../../../src/errors/app-error.js';
import { describeError, isPermanent, isRetryable } from '../../../src/errors/classify.js';

describe('isRetryable', () => {
  it('follows the error table for AppErrors', () => {
    expect(isRetryable(new AppError('dependency_timeout', 'slow'))).to.equal(true);
    expect(isRetryable(new AppError('circuit_open', 'open'))).to.equal(true);
    expect(isRetryable(new AppError('permanent_failure', 'gone'))).to.equal(false);
    expect(isRetryable(new AppError('validation_failed', 'bad'))).to.equal(false);
  });

  it('retries anything it does not know, whatever its message says', () => {
    expect(isRetryable(new TypeError('permanent failure: cannot read x'))).to.equal(true);
    expect(isRetryable('a thrown string')).to.equal(true);
  });
});

describe('isPermanent', () => {
  it('is the opposite of isRetryable', () => {
    expect(isPermanent(new AppError('permanent_failure', 'gone'))).to.equal(true);
    expect(isPermanent(new AppError('unavailable', 'later'))).to.equal(false);
    expect(isPermanent(new Error('unknown'))).to.equal(false);
  });
});

describe('describeError', () => {
  it('names the code of an AppError, the class of another error, and stringifies anything else', () => {
    expect(describeError(new AppError('not_found', 'no such task'))).to.equal('not_found: no such task');
    expect(describeError(new RangeError('out of range'))).to.equal('RangeError: out of range');
    expect(describeError(42)).to.equal('42');
  });
});
