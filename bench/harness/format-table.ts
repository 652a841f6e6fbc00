/**
 * Renders rows as a fixed-width text table. Columns are the union of the rows' keys in first-seen
 * order; numbers are right-aligned, missing cells print as an empty string.
 */
export function formatTable(rows: readonly Record<string, string | number>[]): string {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const cell = (row: Record<string, string | number>, column: string) => {
    const value = row[column];
    return value === undefined ? '' : String(value);
  };
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row, column).length)));
  const line = (values: string[], numeric: boolean[]) =>
    values.map((value, i) => (numeric[i] ? value.padStart(widths[i]!) : value.padEnd(widths[i]!))).join('  ').trimEnd();
  const header = line(columns, columns.map(() => false));
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  const body = rows.map((row) =>
    line(
      columns.map((column) => cell(row, column)),
      columns.map((column) => typeof row[column] === 'number'),
    ),
  );
  return [header, rule, ...body].join('\n');
}
