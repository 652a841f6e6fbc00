import { expect } from 'chai';
import { formatBytes, formatTime, isoToLocalInput, localInputToIso } from '../../../../src/console/client/format.js';

describe('formatBytes', () => {
  it('says bytes, KiB or MiB with one decimal', () => {
    expect([0, 1023, 1024, 1536, 1024 * 1024, 25 * 1024 * 1024 + 1].map(formatBytes)).to.deep.equal(['0 B', '1023 B', '1.0 KiB', '1.5 KiB', '1.0 MiB', '25.0 MiB']);
  });
});

describe('formatTime', () => {
  it('says — for no time, and the time in the locale otherwise', () => {
    expect(formatTime(null)).to.equal('—');
    expect(formatTime('2026-11-29T12:00:00Z')).to.equal(new Date('2026-11-29T12:00:00Z').toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }));
  });
});

describe('localInputToIso and isoToLocalInput', () => {
  it('turn a datetime-local value into ISO-8601 UTC and back', () => {
    const iso = localInputToIso('2026-11-29T12:34:56')!;
    expect(iso).to.equal(new Date('2026-11-29T12:34:56').toISOString());
    expect(isoToLocalInput(iso)).to.equal('2026-11-29T12:34:56');
  });

  it('read an empty or invalid value as none', () => {
    expect(localInputToIso('')).to.equal(undefined);
    expect(localInputToIso('not a time')).to.equal(undefined);
    expect(isoToLocalInput(undefined)).to.equal('');
    expect(isoToLocalInput('garbage')).to.equal('');
  });
});
