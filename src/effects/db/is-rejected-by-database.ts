// SQLSTATEs that mean "this row can never be written as it is": data exceptions (class 22: a NUL
// byte in text, a malformed JSON value, a number out of range) and the data-shaped integrity
// violations (not null, check). Retrying the same message cannot fix them. Unique violations are
// left out on purpose: a concurrent writer can cause one, and the retry then finds the row.
const REJECTED_SQLSTATE = /^(22|23502|23514)/;

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
