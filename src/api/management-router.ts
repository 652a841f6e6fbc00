import { Router } from '@koa/router';
import { bearerAuth } from './bearer-auth.js';
import { mountDeadLetterRoutes } from './dead-letter-routes.js';
import { mountDeliveryRoutes } from './delivery-routes.js';
import { mountOverviewRoutes } from './overview-routes.js';
import { mountRecoveryRoutes } from './recovery-routes.js';
import type { ManagementDeps } from './management-deps.js';
import { mountTaskRoutes } from './task-routes.js';

/** Options of {@link createManagementRouter}. */
export interface ManagementRouterOptions extends ManagementDeps {
  /** API_TOKEN. Unset: every management request is refused 401 (the API is disabled). */
  apiToken: string | undefined;
}

/**
 * The management API under /api/v1 (tasks, deliveries, dead letters, the overview), every route behind
 * the bearer token and validated by the schemas its OpenAPI document is generated from. Each
 * request works on its own forked EntityManager.
 */
export function createManagementRouter(options: ManagementRouterOptions): Router {
  const router = new Router();
  const auth = bearerAuth({ token: options.apiToken });
  const deps: ManagementDeps = {
    orm: options.orm,
    logger: options.logger.child({ component: 'management-api' }),
    onTransition: options.onTransition,
    requeueTask: options.requeueTask,
    replayDelivery: options.replayDelivery,
    listDeadLetters: options.listDeadLetters,
    redriveDeadLetter: options.redriveDeadLetter,
    readDeliveryMessage: options.readDeliveryMessage,
    readRuntimeState: options.readRuntimeState,
    startRecovery: options.startRecovery,
  };
  mountTaskRoutes(router, auth, deps);
  mountDeliveryRoutes(router, auth, deps);
  mountDeadLetterRoutes(router, auth, deps);
  mountOverviewRoutes(router, auth, deps);
  mountRecoveryRoutes(router, auth, deps);
  return router;
}
