import type { Context, Next } from 'koa';
import { AppError } from '../errors/app-error.js';
import type { IngressPriority } from './ingress-priority.js';
import { createWebhookHandler, WEBHOOK_PATH, type WebhookRouteOptions } from './webhook-handler.js';

/**
 * The webhook receiver as plain middleware on its path (POST /api/v1/webhooks/github). It is the hot path, so it matches
 * method and path itself instead of going through the router (measured: the router and
 * allowedMethods cost more per request than the HMAC does).
 */
export function createWebhookEndpoint(options: WebhookRouteOptions, priority?: IngressPriority) {
  const receive = createWebhookHandler(options);
  return async function webhookEndpoint(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== WEBHOOK_PATH) return next();
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST');
      // OPTIONS is answered as the routers' allowedMethods() answer it; any other method is a 405.
      if (ctx.method === 'OPTIONS') {
        ctx.status = 204;
        return;
      }
      throw new AppError('method_not_allowed', `method ${ctx.method} is not allowed on ${WEBHOOK_PATH}; GitHub POSTs`);
    }
    if (!priority) return receive(ctx);
    priority.enter();
    try {
      await receive(ctx);
    } finally {
      priority.leave();
    }
  };
}
