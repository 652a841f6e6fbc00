import { expect } from 'chai';
import { isTerminalCodegenState, normalizeCodegenStatus } from '../../../../src/effects/codegen/normalize-codegen-status.js';

describe('normalizeCodegenStatus', () => {
  it('reads COMPLETE in any case, and the SDK docs’ "completed", as completed', () => {
    const states = ['COMPLETE', 'complete', 'Complete', ' COMPLETE ', 'completed', 'COMPLETED'].map(normalizeCodegenStatus);

    expect(new Set(states)).to.deep.equal(new Set(['completed']));
  });

  it('maps every status Codegen is known to send to its state', () => {
    const table = {
      PENDING: 'pending',
      ACTIVE: 'running',
      RUNNING: 'running',
      EVALUATION: 'running',
      PAUSED: 'running',
      FAILED: 'failed',
      ERROR: 'failed',
      TIMEOUT: 'failed',
      MAX_ITERATIONS_REACHED: 'failed',
      OUT_OF_TOKENS: 'failed',
      CANCELLED: 'cancelled',
      STOPPED: 'cancelled',
    };

    const mapped = Object.fromEntries(Object.keys(table).map((status) => [status, normalizeCodegenStatus(status.toLowerCase())]));

    expect(mapped).to.deep.equal(table);
  });

  it('calls a missing or unrecognised status unknown, which is not terminal', () => {
    const states = [null, undefined, '', 'SOMETHING_NEW', 'succeeded'].map(normalizeCodegenStatus);

    expect(states).to.deep.equal(['unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
    expect(isTerminalCodegenState('unknown')).to.equal(false);
  });
});

describe('isTerminalCodegenState', () => {
  it('is true only for completed, failed and cancelled', () => {
    const states = ['pending', 'running', 'completed', 'failed', 'cancelled', 'unknown'] as const;

    expect(states.filter(isTerminalCodegenState)).to.deep.equal(['completed', 'failed', 'cancelled']);
  });
});
