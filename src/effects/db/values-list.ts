/**
 * A parameterised multi-row `values` list: `(?::text, ?::bigint), (?::text, ?::bigint)` with its
 * parameters in order. Every placeholder carries its column type, so nulls and the first row need
 * no guessing by PostgreSQL. One statement per batch instead of one per row.
 */
export function valuesList(types: readonly string[], rows: ReadonlyArray<readonly unknown[]>): { sql: string; params: unknown[] } {
  if (rows.length === 0) throw new RangeError('valuesList needs at least one row');
  const row = `(${types.map((type) => `?::${type}`).join(', ')})`;
  const params: unknown[] = [];
  for (const values of rows) {
    if (values.length !== types.length) throw new RangeError(`valuesList: a row has ${values.length} values for ${types.length} columns`);
    params.push(...values);
  }
  return { sql: new Array<string>(rows.length).fill(row).join(', '), params };
}
