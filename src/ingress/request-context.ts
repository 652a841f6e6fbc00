import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from '../observability/logger.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request a correlation id — the GitHub delivery id on webhooks, a caller's
 * X-Request-Id when it is safe to echo, a new UUID otherwise — echoed as X-Request-Id, and a
 * child logger carrying it (`ctx.state.log`). The child is made on first use: most webhook
 * requests log nothing, and making one per request cost a few percent of the ingress's CPU.
 */
export function requestContext(logger: Logger) {
  return async function withRequestContext(ctx: Context, next: Next): Promise<void> {
    const delivery = ctx.get('x-github-delivery');
    const incoming = ctx.get('x-request-id');
    const requestId = SAFE_ID.test(delivery) ? delivery : SAFE_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    let log: Logger | undefined;
    Object.defineProperty(ctx.state, 'log', {
      configurable: true,
      enumerable: true,
      get: () => (log ??= logger.child({ correlation_id: requestId }, true)),
    });
    await next();
  };
}
