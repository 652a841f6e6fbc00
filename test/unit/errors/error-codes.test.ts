import { expect } from 'chai';
import { ERROR_CODES } from '../../../src/errors/error-codes.js';

describe('ERROR_CODES', () => {
  const entries = Object.entries(ERROR_CODES);

  it('gives every code an HTTP error status', () => {
    for (const [code, entry] of entries) expect(entry.status, code).to.be.within(400, 599);
  });

  it('never exposes the message of an unexpected server failure', () => {
    for (const code of ['internal_error', 'dependency_failed', 'dependency_timeout', 'permanent_failure', 'not_configured'] as const) {
      expect(ERROR_CODES[code].expose, code).to.equal(false);
    }
  });

  it('retries what may pass (unavailable, timeouts, an open circuit, deferred work) and not what cannot', () => {
    const retryable = entries.filter(([, entry]) => entry.retryable).map(([code]) => code);
    expect(retryable).to.have.members(['rate_limited', 'internal_error', 'unavailable', 'dependency_failed', 'dependency_timeout', 'circuit_open', 'deferred']);
  });
});
