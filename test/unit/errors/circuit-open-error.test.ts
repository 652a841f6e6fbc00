import { expect } from 'chai';
import { AppError } from '../../../src/errors/app-error.js';
import { circuitOpenError } from '../../../src/errors/circuit-open-error.js';
import { isRetryable } from '../../../src/errors/classify.js';

const breaker = (retryAfterMs: number, state = 'open') => ({ name: 'github', state, retryAfterMs: () => retryAfterMs });

describe('circuitOpenError', () => {
  it('is a retryable circuit_open AppError naming the breaker and its state', () => {
    const error = circuitOpenError(breaker(30_000));
    expect(error).to.be.instanceOf(AppError);
    expect(error).to.include({ code: 'circuit_open', message: "circuit breaker 'github' is open", retryAfterSeconds: 30 });
    expect(error.details).to.deep.equal({ breaker: 'github', state: 'open' });
    expect(isRetryable(error)).to.equal(true);
    expect(error).to.not.have.property('cause');
  });

  it('asks to wait the cool-down left, rounded up, and at least a second', () => {
    expect(circuitOpenError(breaker(1_200)).retryAfterSeconds).to.equal(2);
    expect(circuitOpenError(breaker(0, 'half_open')).retryAfterSeconds).to.equal(1);
  });

  it('keeps the failure that opened it as the cause, and says what it was', () => {
    const failure = new Error('connect ECONNREFUSED');
    const error = circuitOpenError(breaker(5_000), failure);
    expect(error.cause).to.equal(failure);
    expect(error.message).to.equal("circuit breaker 'github' is open: connect ECONNREFUSED");
  });
});
