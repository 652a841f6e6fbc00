// SQLSTATEs that mean "this row can never be written as it is": data exceptions (class 22: a
// malformed JSON value, a number out of range), the data-shaped integrity violations (not null,
// check), and the protocol violation PostgreSQL answers to a NUL character in a text parameter. Retrying the same message cannot fix them. Unique violations are
// left out on purpose: a concurrent writer can cause one, and the retry then finds the row.
const REJECTED_SQLSTATE = /^(22|23502|23514|08P01)/;

/** The database's own words, without the statement the driver prepends (it can be long and carries data). */
export function databaseRefusal(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(' - ').pop()!.slice(0, 300);
}

/**
 * Whether PostgreSQL refused a statement because of the data in it (the message at fault should
 * go to the DLQ), as opposed to being unavailable or racing another writer. Reads codes along the
 * cause chain, never message text.
 */
export function isRejectedByDatabase(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const e = current as { code?: unknown; sqlState?: unknown; cause?: unknown };
    const code = typeof e.sqlState === 'string' ? e.sqlState : typeof e.code === 'string' ? e.code : undefined;
    if (code && /^[0-9A-Z]{5}$/.test(code) && REJECTED_SQLSTATE.test(code)) return true;
    current = e.cause;
  }
  return false;
}
