import type { Router, RouterContext } from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { AppError } from '../errors/app-error.js';

/**
 * `router.allowedMethods()` with the one error body: a known path asked with a method it does
 * not serve is 405 `method_not_allowed` with `Allow` listing the methods it does serve; that
 * includes methods the router does not implement at all (its 501), since to a client they are
 * just as wrong. An unknown path stays a 404 whatever the method. OPTIONS keeps the router's answer.
 */
export function allowedMethods(router: Router): Middleware {
  const answer = router.allowedMethods();
  return async function refuseWrongMethods(ctx: Context, next: Next): Promise<void> {
    await answer(ctx as RouterContext, next);
    if ((ctx.status !== 405 && ctx.status !== 501) || ctx.body !== undefined) return;
    const allow = ctx.response.get('Allow');
    if (!allow) {
      ctx.remove('Allow');
      ctx.status = 404;
      return;
    }
    throw new AppError('method_not_allowed', `method ${ctx.method} is not allowed on ${ctx.path}; allowed: ${allow}`);
  };
}
