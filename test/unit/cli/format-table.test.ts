import { expect } from 'chai';
import { formatRecord, formatTable } from '../../../src/cli/format-table.js';

describe('formatTable', () => {
  const columns = [
    { title: 'id', value: (row: { id: string; reason: string | null }) => row.id },
    { title: 'reason', value: (row: { id: string; reason: string | null }) => row.reason, max: 10 },
  ];

  it('aligns columns under upper-case headings, two spaces apart, without trailing spaces', () => {
    expect(formatTable([{ id: 'a', reason: 'ok' }, { id: 'bbbb', reason: null }], columns)).to.equal(
      ['ID    REASON', 'a     ok', 'bbbb  -'].join('\n'),
    );
  });

  it('shortens a long cell with … and flattens whitespace', () => {
    const table = formatTable([{ id: 'a', reason: 'one\ntwo   three four five' }], columns);
    expect(table.split('\n')[1]).to.equal('a   one two t…');
  });

  it('says (none) for no rows', () => {
    expect(formatTable([], columns)).to.equal('(none)');
  });
});

describe('formatRecord', () => {
  it('writes key: value lines with keys padded, nested objects indented and lists of objects counted', () => {
    const text = formatRecord({ id: 't1', codegen_run: { id: 4, status: 'completed' }, attempts: [{ number: 1 }], tags: ['a', 'b'], error: null });
    expect(text).to.equal(
      [
        'id           t1',
        'codegen_run',
        '  id      4',
        '  status  completed',
        'attempts     (1)',
        '  - number  1',
        'tags         ["a","b"]',
        'error        -',
      ].join('\n'),
    );
  });
});
