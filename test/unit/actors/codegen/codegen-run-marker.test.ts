import { expect } from 'chai';
import { creatingMarker, creatingSince, outcomeUnknown } from '../../../../src/actors/codegen/codegen-run-marker.js';
import { AppError } from '../../../../src/errors/app-error.js';

describe('creatingMarker', () => {
  it('is read back by creatingSince as the attempt it was written for', () => {
    expect(creatingMarker(3)).to.equal('creating:3');
    expect(creatingSince(creatingMarker(3))).to.equal(3);
  });
});

describe('creatingSince', () => {
  it('is undefined for a run status that is not a marker', () => {
    for (const status of [null, '', 'running', 'creating:', 'creating:x', 'creating:2 ', 'xcreating:2']) {
      expect(creatingSince(status), String(status)).to.equal(undefined);
    }
  });
});

describe('outcomeUnknown', () => {
  const unknown = new AppError('dependency_timeout', 'no answer', { details: { operation: 'create_run', outcomeUnknown: true } });
  const known = new AppError('dependency_failed', '502', { details: { operation: 'create_run', outcomeUnknown: false } });

  it('is true for a create that failed in transit, also when an open breaker carries it as its cause', () => {
    expect(outcomeUnknown(unknown)).to.equal(true);
    expect(outcomeUnknown(new AppError('circuit_open', 'codegen is open', { cause: unknown }))).to.equal(true);
  });

  it('is false for an answer Codegen gave, a breaker open for another reason, or an error that is not ours', () => {
    expect(outcomeUnknown(known)).to.equal(false);
    expect(outcomeUnknown(new AppError('circuit_open', 'codegen is open', { cause: known }))).to.equal(false);
    expect(outcomeUnknown(new AppError('circuit_open', 'codegen is open'))).to.equal(false);
    expect(outcomeUnknown(Object.assign(new Error('socket hang up'), { details: { outcomeUnknown: true } }))).to.equal(false);
  });
});
