import type { RouterContext } from '@koa/router';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { TaskTransitionListener } from '../effects/db/task-store.js';
import type { Logger } from '../observability/logger.js';
import type { ManagementPorts } from './management-ports.js';

/** What the management routes share: the database, the injected bus ports, the logger. */
export interface ManagementDeps extends ManagementPorts {
  orm: MikroORM;
  /** Told of every status a task enters through the API (a retry), for the task metrics. */
  onTransition?: TaskTransitionListener;
  logger: Logger;
}

/** The request's logger (it carries the correlation id) tagged as the management API's. */
export function requestLogger(ctx: RouterContext, fallback: Logger): Logger {
  const log = ctx.state.log as Logger | undefined;
  return log ? log.child({ component: 'management-api' }, true) : fallback;
}
