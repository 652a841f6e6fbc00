import { el, type Child } from './el.js';

export interface Column<T> {
  header: string;
  cell(row: T): Child;
  /** Hidden on narrow screens. */
  wide?: boolean;
}

/** A table in a horizontally scrollable frame, or `empty` when there are no rows. */
export function dataTable<T>(columns: ReadonlyArray<Column<T>>, rows: readonly T[], empty: string): HTMLElement {
  if (rows.length === 0) return el('p', { class: 'empty' }, empty);
  const cls = (column: Column<T>) => (column.wide ? 'wide' : undefined);
  return el(
    'div',
    { class: 'table-frame' },
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, ...columns.map((column) => el('th', { class: cls(column), attrs: { scope: 'col' } }, column.header)))),
      el('tbody', {}, ...rows.map((row) => el('tr', {}, ...columns.map((column) => el('td', { class: cls(column) }, column.cell(row)))))),
    ),
  );
}

/** Label and value pairs, as a definition list. */
export function facts(pairs: ReadonlyArray<[string, Child]>): HTMLElement {
  return el('dl', { class: 'facts' }, ...pairs.flatMap(([label, value]) => [el('dt', {}, label), el('dd', {}, value ?? '—')]));
}

/** A status word with a colour that says whether it is good, bad or under way. */
export function badge(status: string): HTMLElement {
  const tone =
    /^(processed|succeeded|closed|complete|completed)$/i.test(status) ? 'good'
    : /^(failed|dead|open|error|cancelled)$/i.test(status) ? 'bad'
    : /^(running|retrying|queued|received|half_open|active)$/i.test(status) ? 'busy'
    : 'plain';
  return el('span', { class: `badge ${tone}` }, status);
}
