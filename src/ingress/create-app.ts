import Koa, { type Middleware } from 'koa';
import type Router from '@koa/router';
import type { Logger } from '../observability/logger.js';
import { allowedMethods } from './allowed-methods.js';
import { errorMiddleware } from './error-middleware.js';
import { requestContext } from './request-context.js';
import { traceRequest } from './trace-request.js';
import type { ShutdownGate } from './shutdown-gate.js';

export interface CreateAppOptions {
  logger: Logger;
  /** Hot-path endpoints that match their own path, tried before any router (the webhook receiver). */
  endpoints?: readonly Middleware[];
  /** Routers mounted in order: health, metrics, management API, docs. */
  routers: readonly Router[];
  shutdownGate: ShutdownGate;
  /** Trust X-Forwarded-For for the client address (behind a load balancer). */
  trustProxy?: boolean;
}

/**
 * The Koa application: in-flight tracking, request id and child logger, the single error path,
 * then the routers. No body parser is global: the webhook route must see the raw bytes.
 */
export function createApp(options: CreateAppOptions): Koa {
  const app = new Koa({ proxy: options.trustProxy ?? false });
  // Errors are answered and logged by errorMiddleware; Koa's own stderr printing would duplicate them.
  app.silent = true;
  app.use(options.shutdownGate.middleware());
  app.use(traceRequest());
  app.use(requestContext(options.logger));
  app.use(errorMiddleware());
  for (const endpoint of options.endpoints ?? []) app.use(endpoint);
  for (const router of options.routers) {
    app.use(router.routes());
    app.use(allowedMethods(router));
  }
  return app;
}
