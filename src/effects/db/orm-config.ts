import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Logger } from '../../observability/logger.js';
import { InstallationSchema } from './entities/installation.js';
import { PullRequestHeadSchema } from './entities/pull-request-head.js';
import { RecoveryCheckpointSchema } from './entities/recovery-checkpoint.js';
import { RecoveryRequestSchema } from './entities/recovery-request.js';
import { RecoveryRunSchema } from './entities/recovery-run.js';
import { TaskAttemptSchema } from './entities/task-attempt.js';
import { TaskSchema } from './entities/task.js';
import { WebhookDeliverySchema } from './entities/webhook-delivery.js';

/** Every entity of the service; discovery never scans folders. */
export const ENTITIES = [
  WebhookDeliverySchema,
  TaskSchema,
  TaskAttemptSchema,
  InstallationSchema,
  PullRequestHeadSchema,
  RecoveryRunSchema,
  RecoveryRequestSchema,
  RecoveryCheckpointSchema,
];

/** Options of {@link createOrmConfig}. */
export interface OrmConfigOptions {
  /** `postgresql://user@host:port/database`. */
  url: string;
  logger: Logger;
  /** Log every query at debug level. Default false. */
  debug?: boolean;
  /** Connection pool size. Default 10. */
  poolMax?: number;
}

// Under tsx this module is `src/effects/db/orm-config.ts` and the TS migrations sit beside it; once
// built it is `dist/effects/db/orm-config.js` and so are the compiled ones.
const runningFromSource = import.meta.url.endsWith('.ts');
const migrationsPath = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * MikroORM options for PostgreSQL: the explicit entity list, committed migrations (no snapshot),
 * MikroORM's own database creation off (see `ensureDatabase`), and its log lines sent to `logger`.
 */
export function createOrmConfig(options: OrmConfigOptions): Options {
  const log = options.logger.child({ component: 'mikro-orm' });
  return defineConfig({
    clientUrl: options.url,
    entities: ENTITIES,
    discovery: { warnWhenNoEntities: true },
    extensions: [Migrator],
    ensureDatabase: false,
    allowGlobalContext: false,
    debug: options.debug ?? false,
    logger: (message) => log.debug(message),
    // Fail fast when PostgreSQL is away (the database breaker then pauses the actors) instead of
    // queueing behind knex's 60 s default acquire timeout.
    pool: { min: 0, max: options.poolMax ?? 10, acquireTimeoutMillis: 5000 },
    driverOptions: { connection: { connectionTimeoutMillis: 3000 } },
    migrations: {
      path: migrationsPath,
      glob: runningFromSource ? '!(*.d).ts' : '!(*.d).js',
      emit: 'ts',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      tableName: 'mikro_orm_migrations',
    },
  });
}
