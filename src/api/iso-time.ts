/**
 * A column's time as ISO-8601 UTC: rows read back through the ORM hold Dates, values built
 * elsewhere may already be strings.
 */
export function isoTime(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
