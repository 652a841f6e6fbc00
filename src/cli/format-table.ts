/** One column of {@link formatTable}: the field shown and its heading. */
export interface Column<T> {
  title: string;
  value(row: T): unknown;
  /** Longest cell before it is shortened with `…`. Default 40. */
  max?: number;
}

/** Rows as a plain-text table with a heading line; `(none)` when there are no rows. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((row) => columns.map((column) => cell(column.value(row), column.max ?? 40)));
  const widths = columns.map((column, index) => Math.max(column.title.length, ...cells.map((line) => line[index]!.length)));
  const line = (values: readonly string[]) => values.map((value, index) => value.padEnd(widths[index]!)).join('  ').trimEnd();
  return [line(columns.map((column) => column.title.toUpperCase())), ...cells.map(line)].join('\n');
}

/** An object as `key: value` lines, nested objects indented, for the `show` commands. */
export function formatRecord(record: Record<string, unknown>, indent = ''): string {
  const width = Math.max(...Object.keys(record).map((key) => key.length));
  return Object.entries(record)
    .map(([key, value]) => {
      const label = `${indent}${key.padEnd(width)}`;
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        return `${label}\n${formatRecord(value as Record<string, unknown>, `${indent}  `)}`;
      }
      if (Array.isArray(value) && value.some((item) => item && typeof item === 'object')) {
        return `${label}  (${value.length})\n${value.map((item) => formatRecord(item as Record<string, unknown>, `${indent}  - `)).join('\n')}`;
      }
      return `${label}  ${cell(value, 200)}`;
    })
    .join('\n');
}

function cell(value: unknown, max: number): string {
  const text =
    value === null || value === undefined ? '-' : typeof value === 'object' ? JSON.stringify(value) : String(value).replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
