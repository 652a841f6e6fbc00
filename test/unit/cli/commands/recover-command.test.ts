import { expect } from 'chai';
import { CliError } from '../../../../src/cli/cli-error.js';
import { parseSince } from '../../../../src/cli/commands/recover-command.js';

describe('parseSince', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');

  it('takes durations back from now and ISO-8601 times', () => {
    expect(parseSince('90m', now)).to.equal('2026-11-29T10:30:00.000Z');
    expect(parseSince('6h', now)).to.equal('2026-11-29T06:00:00.000Z');
    expect(parseSince('2d', now)).to.equal('2026-11-27T12:00:00.000Z');
    expect(parseSince('2026-11-28T09:00:00+01:00', now)).to.equal('2026-11-28T08:00:00.000Z');
  });

  it('refuses anything else as a usage error (exit 2)', () => {
    for (const text of ['yesterday', '6 hours', '2026-11-28', '-1h']) {
      expect(() => parseSince(text, now), text).to.throw(CliError).with.property('exitCode', 2);
    }
  });
});
