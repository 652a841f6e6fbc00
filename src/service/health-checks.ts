import type { JetStreamManager } from '@nats-io/jetstream';
import type { DependencyBreakers } from '../actors/dependency-breakers.js';
import type { NatsLink } from '../bus/connect-nats.js';
import type { CodegenClient } from '../effects/codegen/create-codegen-client.js';
import type { Database } from '../effects/db/open-database.js';
import type { GithubClient } from '../effects/github/create-github-client.js';
import type { HealthRoutesOptions } from '../ingress/health-routes.js';
import type { ShutdownGate } from '../ingress/shutdown-gate.js';
import { outboundApiCheck } from '../observability/outbound-api-check.js';

/** What the service's health checks read; each already exists, none is built for them. */
export interface HealthChecksOptions {
  database: Database;
  nats: NatsLink;
  jsm: JetStreamManager;
  /** The deployed (namespaced) stream names readiness requires. */
  streamNames: readonly string[];
  breakers: DependencyBreakers;
  github: Pick<GithubClient, 'configured' | 'lastCall'>;
  codegen: Pick<CodegenClient, 'configured' | 'lastCall'>;
  shutdownGate: Pick<ShutdownGate, 'closing'>;
}

/** PostgreSQL answers a ping within this bound, or counts as down (a probe must not hang). */
const DATABASE_PING_MS = 1500;

/**
 * The service's checks for /health and /health/ready. PostgreSQL and NATS are critical (down makes
 * the service unhealthy); GitHub and Codegen report their breaker and last call and never call
 * out. Ready means: not shutting down, NATS connected with every stream present, PostgreSQL answering.
 */
export function createHealthChecks(options: HealthChecksOptions): Pick<HealthRoutesOptions, 'checks' | 'ready'> {
  const { database, nats, jsm, breakers } = options;
  return {
    checks: [
      {
        name: 'database',
        critical: true,
        check: async () => ({ status: (await database.ping(DATABASE_PING_MS)) ? 'up' : 'down', breaker: breakers.database.state }),
      },
      {
        name: 'nats',
        critical: true,
        check: () => (nats.connected() ? { status: 'up', server: nats.nc.getServer() } : { status: 'down' }),
      },
      outboundApiCheck({ name: 'github_api', configured: options.github.configured, breaker: breakers.github, lastCall: () => options.github.lastCall() }),
      outboundApiCheck({ name: 'codegen_api', configured: options.codegen.configured, breaker: breakers.codegen, lastCall: () => options.codegen.lastCall() }),
    ],
    async ready() {
      const reasons: string[] = [];
      if (options.shutdownGate.closing) reasons.push('shutting down');
      if (!nats.connected()) reasons.push('NATS is not connected');
      else {
        for (const name of options.streamNames) {
          await jsm.streams.info(name).catch(() => reasons.push(`stream ${name} is missing`));
        }
      }
      if (!(await database.ping(DATABASE_PING_MS))) reasons.push('PostgreSQL does not answer');
      return { ready: reasons.length === 0, reasons };
    },
  };
}
