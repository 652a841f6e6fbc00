import Router from '@koa/router';
import { createWebhookHandler, type WebhookRouteOptions } from './webhook-route.js';

/** Mounts the webhook receiver at SPEC §4's path. */
export function createWebhookRouter(options: WebhookRouteOptions): Router {
  const router = new Router();
  router.post('/api/v1/webhooks/github', createWebhookHandler(options));
  return router;
}
