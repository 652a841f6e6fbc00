import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import { AppError } from '../errors/app-error.js';

/** Options of {@link bearerAuth}. */
export interface BearerAuthOptions {
  /** API_TOKEN. When unset, every request is refused: see below. */
  token: string | undefined;
}

/** The message of every refusal while API_TOKEN is unset. */
export const API_DISABLED_MESSAGE = 'the management API is disabled until API_TOKEN is set';

// Any token text after the scheme: RFC 6750 limits the characters, but refusing an operator-chosen
// API_TOKEN for containing, say, "!" would only make the API unusable, not safer.
const BEARER = /^Bearer[ \t]+(\S(?:.*\S)?)[ \t]*$/i;

/**
 * Requires `Authorization: Bearer <API_TOKEN>` (RFC 6750), else 401 `unauthorized`, which the
 * error middleware answers with `WWW-Authenticate: Bearer`.
 *
 * The token is compared in constant time: both sides are hashed with SHA-256 first, so the
 * comparison sees equal lengths and reveals neither the token's length nor a matching prefix.
 *
 * Secure default: with API_TOKEN unset the management API is closed, not open. Every request is
 * refused with 401 and a message saying the API is disabled until API_TOKEN is set. The API can
 * retry tasks and replay deliveries (which may start paid Codegen runs), so an operator forgetting
 * a variable must not expose it; the webhook, health, metrics and docs endpoints are unaffected.
 */
export function bearerAuth(options: BearerAuthOptions) {
  const expected = options.token === undefined || options.token === '' ? undefined : sha256(options.token);
  return async function requireBearerToken(ctx: Context, next: Next): Promise<void> {
    if (expected === undefined) throw new AppError('unauthorized', API_DISABLED_MESSAGE);
    const header = ctx.get('authorization');
    if (header === '') throw new AppError('unauthorized', 'missing bearer token: send Authorization: Bearer <API_TOKEN>');
    const match = BEARER.exec(header);
    if (!match || !timingSafeEqual(sha256(match[1]!), expected)) {
      throw new AppError('unauthorized', 'invalid bearer token');
    }
    await next();
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
