import type { Router, RouterContext, RouterMiddleware } from '@koa/router';
import type { z } from 'zod';
import type { ApiOperation } from './api-operation.js';
import { parseRequest, type ParsedRequest } from './parse-request.js';

/** Serves one operation; the request is already authenticated and validated. */
export type OperationHandler<P extends z.ZodObject, Q extends z.ZodObject> = (
  ctx: RouterContext,
  request: ParsedRequest<P, Q>,
) => Promise<void>;

/**
 * Registers `operation` on `router`: `auth` first when the operation requires it (so an
 * unauthenticated caller learns nothing from validation messages), then the operation's own
 * schemas, then the handler. Authenticated answers are never cached by intermediaries.
 */
export function mountOperation<P extends z.ZodObject, Q extends z.ZodObject>(
  router: Router,
  operation: ApiOperation<P, Q>,
  auth: RouterMiddleware,
  handler: OperationHandler<P, Q>,
): void {
  const serve: RouterMiddleware = async (ctx) => {
    const request = parseRequest(operation, { params: ctx.params, query: ctx.query });
    if (operation.auth === 'bearer') ctx.set('Cache-Control', 'no-store');
    await handler(ctx, request);
  };
  const stack = operation.auth === 'bearer' ? [auth, serve] : [serve];
  router.register(operation.path, [operation.method.toUpperCase()], stack);
}
