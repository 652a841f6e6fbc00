import type { Context, Next } from 'koa';
import { AppError, isAppError } from '../errors/app-error.js';
import type { ErrorCode } from '../errors/error-codes.js';
import type { Logger } from '../observability/logger.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; correlation_id: string };
}

/**
 * The one place errors become HTTP answers: AppError codes map to statuses; messages are
 * shown for client errors only; everything else is a logged 500 with a generic message.
 * Unmatched routes get the same error shape as everything else.
 */
export function errorMiddleware() {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError('not_found', `no route for ${ctx.method} ${ctx.path}`);
      }
      if (ctx.status === 405 && ctx.body === undefined) {
        throw new AppError('method_not_allowed', `method ${ctx.method} is not allowed on ${ctx.path}`);
      }
    } catch (thrown) {
      const error = toAppError(thrown);
      const log = (ctx.state.log as Logger | undefined) ?? undefined;
      if (error.status >= 500) log?.error({ err: thrown, code: error.code }, 'request failed');
      else log?.info({ code: error.code, reason: error.message }, 'request refused');
      ctx.state.errorCode = error.code;
      ctx.status = error.status;
      if (error.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(Math.ceil(error.retryAfterSeconds)));
      if (error.code === 'unauthorized') ctx.set('WWW-Authenticate', 'Bearer realm="webhook-orchestrator"');
      const body: ErrorBody = {
        error: {
          code: error.code,
          message: error.expose ? error.message : 'internal error; see the service logs for this correlation id',
          correlation_id: String(ctx.state.requestId ?? ''),
        },
      };
      ctx.body = body;
    }
  };
}

function toAppError(thrown: unknown): AppError {
  if (isAppError(thrown)) return thrown;
  // koa-style errors from Koa itself or middleware (ctx.throw) keep their client status.
  const status = (thrown as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code: ErrorCode = status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : 'bad_request';
    return new AppError(code, (thrown as Error).message, { cause: thrown });
  }
  return new AppError('internal_error', 'internal error', { cause: thrown });
}
