import { ConnectionException } from '@mikro-orm/core';

// PostgreSQL SQLSTATEs that mean "the server is not there for us right now", not "your query is wrong":
// connection exceptions (08), insufficient resources (53), operator intervention (57P01–57P03).
// 08P01 (protocol violation) is the exception: the server is there and refuses what we sent (a NUL
// character in a text parameter), which is the data's fault — see is-rejected-by-database.ts.
const UNAVAILABLE_SQLSTATE = /^(08(?!P01)|53|57P0[123])/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether an error means PostgreSQL is unreachable or refusing work (the database breaker counts
 * these), as opposed to an error in what we asked of it. Reads error classes and codes along the
 * cause chain, never message text.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    if (current instanceof ConnectionException) return true;
    const e = current as { code?: unknown; name?: unknown; cause?: unknown; sqlState?: unknown };
    const code = typeof e.code === 'string' ? e.code : typeof e.sqlState === 'string' ? e.sqlState : undefined;
    if (code && (UNAVAILABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    // knex's pool gives up with this error class when no connection can be had.
    if (e.name === 'KnexTimeoutError') return true;
    current = e.cause;
  }
  return false;
}
