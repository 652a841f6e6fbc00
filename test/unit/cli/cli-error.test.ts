import { expect } from 'chai';
import { CliError, EXIT_CODES } from '../../../src/cli/cli-error.js';

describe('CliError', () => {
  it('maps each kind to the exit code scripts rely on', () => {
    expect(new CliError('failed', 'refused').exitCode).to.equal(1);
    expect(new CliError('usage', 'unknown option').exitCode).to.equal(2);
    expect(new CliError('not_found', 'no task').exitCode).to.equal(3);
    expect(new CliError('unreachable', 'ECONNREFUSED').exitCode).to.equal(4);
    expect(EXIT_CODES.ok).to.equal(0);
  });

  it('is an Error with its own name, the message shown, and the cause kept', () => {
    const cause = new Error('socket hang up');
    const error = new CliError('unreachable', 'the service did not answer', { cause });
    expect(error).to.be.instanceOf(Error);
    expect(error).to.include({ name: 'CliError', message: 'the service did not answer', kind: 'unreachable' });
    expect(error.cause).to.equal(cause);
  });
});
