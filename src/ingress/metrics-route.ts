import Router from '@koa/router';
import type { Registry } from 'prom-client';

/** GET /metrics in the Prometheus text format, from the registry main made. */
export function createMetricsRoute(registry: Registry): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    ctx.set('Content-Type', registry.contentType);
    ctx.body = await registry.metrics();
  });
  return router;
}
