import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { MikroORM } from '@mikro-orm/postgresql';
import { request as octokitRequest } from '@octokit/request';
import { createKvLease, openLeaseBucket } from '../bus/kv-lease.js';
import { messageIdsInStream } from '../bus/message-ids-in-stream.js';
import type { Config } from '../config/load-config.js';
import type { Topology } from '../contracts/topology.js';
import { githubRestBaseUrl } from '../effects/github/github-rest-base-url.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { createGithubHookDeliveries } from './github-hook-deliveries.js';
import { createRecoveryAuth } from './recovery-auth.js';
import { createRecoveryJob, type RecoveryJob } from './recovery-job.js';
import { beginRecoveryRun } from './begin-recovery-run.js';

/** Options of {@link createRecovery}. */
export interface CreateRecoveryOptions {
  config: Pick<Config, 'recovery' | 'github' | 'nats'>;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  orm: MikroORM;
  topology: Topology;
  metrics: Metrics;
  logger: Logger;
  fetch?: typeof fetch;
  /** Delay before the first scheduled run (tests). */
  firstRunDelayMs?: number;
}

/**
 * Wires the missed-delivery recovery: GitHub's hook-delivery endpoints (REST base derived from
 * GITHUB_GRAPHQL_URL), the lease in the `<namespace>_recovery` KV bucket, and the job. Undefined
 * when it is disabled or no hook can be read (no credentials), with one log line saying why.
 */
export async function createRecovery(options: CreateRecoveryOptions): Promise<RecoveryJob | undefined> {
  const { config, logger } = options;
  const log = logger.child({ component: 'recovery' });
  if (!config.recovery.enabled) {
    log.info('missed-delivery recovery disabled (RECOVERY_ENABLED=false)');
    return undefined;
  }
  if (config.recovery.hooks.length === 0) {
    log.info('missed-delivery recovery off: it needs GitHub App credentials (the App hook) or RECOVERY_HOOKS with a token');
    return undefined;
  }
  const fetchImpl = options.fetch ?? fetch;
  const request = octokitRequest.defaults({ baseUrl: githubRestBaseUrl(config.github.graphqlUrl), request: { fetch: fetchImpl } });
  const auth = createRecoveryAuth({
    token: config.github.token,
    app: config.github.appId && config.github.appPrivateKey ? { appId: config.github.appId, privateKey: config.github.appPrivateKey } : undefined,
    request,
    graphqlUrl: config.github.graphqlUrl,
    fetch: fetchImpl,
    logger: log,
  });
  const github = createGithubHookDeliveries({ request, auth });
  const kv = await openLeaseBucket(options.nc, options.topology.recoveryBucket, config.recovery.leaseTtlMs, config.nats.replicas);
  const lease = createKvLease({ kv, key: 'lease', holder: `${hostname()}:${process.pid}:${randomUUID()}` });
  const stream = options.topology.streams.github;
  return createRecoveryJob({
    lease,
    leaseTtlMs: config.recovery.leaseTtlMs,
    intervalMs: config.recovery.intervalMs,
    ...(options.firstRunDelayMs === undefined ? {} : { firstRunDelayMs: options.firstRunDelayMs }),
    logger: log,
    begin: (runRequest) =>
      beginRecoveryRun(
        {
          targets: config.recovery.hooks,
          github,
          orm: options.orm,
          inStream: (wanted, since) => messageIdsInStream({ js: options.js, jsm: options.jsm, stream, since, wanted }),
          lookbackMs: config.recovery.lookbackMs,
          metrics: options.metrics,
          logger: log,
        },
        runRequest,
      ),
  });
}
