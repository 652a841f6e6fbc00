import { parseHookTarget, type HookTarget } from '../contracts/hook-target.js';
import { envSchema } from './config-schema.js';

/** The service's configuration: parsed once, frozen, and handed down in slices. */
export interface Config {
  readonly http: { port: number; host: string };
  readonly webhook: {
    secrets: readonly string[];
    maxBodyBytes: number;
    /** Body bytes all webhook requests in flight may hold at once; at least maxBodyBytes. */
    inflightBytesMax: number;
    rateLimit: { perAddress: number; global: number; windowMs: number };
    /** Refuse deliveries whose event time is older than this (seconds); 0 = no event-age rule. */
    maxEventAgeSeconds: number;
    /** Keep accepted bodies' digests this long (seconds); 0 = no replay check. */
    replayTtlSeconds: number;
  };
  readonly nats: {
    servers: readonly string[];
    /** NATS_NAMESPACE: prefixes stream names, subjects and buckets ('' = the plain names: GITHUB, `github.>` …). */
    namespace: string;
    publishTimeoutMs: number;
    streamsDir: string;
    duplicateWindowSeconds: number | undefined;
    /** NATS_REPLICAS: num_replicas of every stream, key-value and object-store bucket. */
    replicas: number;
  };
  readonly database: { url: string; poolMax: number };
  readonly api: { token: string | undefined };
  readonly github: {
    graphqlUrl: string;
    timeoutMs: number;
    token: string | undefined;
    appId: string | undefined;
    appPrivateKey: string | undefined;
    /** GitHub calls started per hour at most, shared by every analysis (below GitHub's 5,000 points). */
    callsPerHour: number;
  };
  readonly codegen: {
    apiUrl: string;
    token: string | undefined;
    orgId: string | undefined;
    timeoutMs: number;
    /** Codegen's documented limits: agent creations per minute, reads per 30 s. */
    createsPerMinute: number;
    readsPer30s: number;
  };
  readonly logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  readonly rulesFile: string | undefined;
  readonly shutdownTimeoutMs: number;
  readonly actorsEnabled: boolean;
  readonly recovery: {
    /** RECOVERY_ENABLED; the job also needs credentials for at least one hook. */
    enabled: boolean;
    intervalMs: number;
    lookbackMs: number;
    leaseTtlMs: number;
    /** The App's hook (with App credentials) and the repository/organisation hooks of RECOVERY_HOOKS. */
    hooks: readonly HookTarget[];
  };
}

/** Thrown with every problem at once; the message is one line per variable, never a value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

/** Values that must never reach a log line; the logger scrubs them wherever they appear. */
export function secretsOf(config: Config): string[] {
  return [
    ...config.webhook.secrets,
    config.api.token,
    config.github.token,
    config.github.appPrivateKey,
    config.codegen.token,
  ].filter((value): value is string => typeof value === 'string' && value.length > 0);
}

export function loadConfig(env: Record<string, string | undefined> = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`),
    );
  }
  const e = parsed.data;
  if ((e.GITHUB_APP_ID === undefined) !== (e.GITHUB_APP_PRIVATE_KEY === undefined)) {
    throw new ConfigError(['GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY must be set together']);
  }
  if ((e.CODEGEN_TOKEN === undefined) !== (e.CODEGEN_ORG_ID === undefined)) {
    throw new ConfigError(['CODEGEN_TOKEN and CODEGEN_ORG_ID must be set together']);
  }
  const maxAge = e.WEBHOOK_MAX_EVENT_AGE_SECONDS;
  const replayTtl = e.WEBHOOK_REPLAY_TTL_SECONDS;
  if (maxAge > 0 && replayTtl > 0 && replayTtl < maxAge) {
    // A body forgotten before its event is too old to be refused could be replayed in between.
    throw new ConfigError(['WEBHOOK_REPLAY_TTL_SECONDS must be at least WEBHOOK_MAX_EVENT_AGE_SECONDS (or one of them 0)']);
  }
  const hooks: HookTarget[] = e.GITHUB_APP_ID !== undefined ? [{ kind: 'app' }] : [];
  const badHooks: string[] = [];
  for (const entry of e.RECOVERY_HOOKS) {
    const target = parseHookTarget(entry);
    if (target) hooks.push(target);
    else badHooks.push(entry);
  }
  if (badHooks.length > 0) {
    throw new ConfigError([`RECOVERY_HOOKS entries must be repo:owner/name:<hook id> or org:<org>:<hook id> (got ${badHooks.length} other)`]);
  }
  if (e.RECOVERY_HOOKS.length > 0 && e.GITHUB_TOKEN === undefined && e.GITHUB_APP_ID === undefined) {
    throw new ConfigError(['RECOVERY_HOOKS needs GITHUB_TOKEN or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY']);
  }
  if (e.WEBHOOK_INFLIGHT_BYTES_MAX < e.WEBHOOK_MAX_BODY_BYTES) {
    // Otherwise a delivery at the body limit could never be admitted, not even alone.
    throw new ConfigError(['WEBHOOK_INFLIGHT_BYTES_MAX must be at least WEBHOOK_MAX_BODY_BYTES']);
  }
  const config: Config = {
    http: { port: e.PORT, host: e.HOST },
    webhook: {
      secrets: e.GITHUB_WEBHOOK_SECRET,
      maxBodyBytes: e.WEBHOOK_MAX_BODY_BYTES,
      inflightBytesMax: e.WEBHOOK_INFLIGHT_BYTES_MAX,
      rateLimit: {
        perAddress: e.WEBHOOK_RATE_LIMIT_PER_ADDRESS,
        global: e.WEBHOOK_RATE_LIMIT_GLOBAL,
        windowMs: e.WEBHOOK_RATE_LIMIT_WINDOW_MS,
      },
      maxEventAgeSeconds: maxAge,
      replayTtlSeconds: replayTtl,
    },
    nats: {
      servers: e.NATS_URL,
      namespace: e.NATS_NAMESPACE,
      publishTimeoutMs: e.NATS_PUBLISH_TIMEOUT_MS,
      streamsDir: e.STREAMS_DIR,
      duplicateWindowSeconds: e.GITHUB_DUPLICATE_WINDOW_SECONDS,
      replicas: e.NATS_REPLICAS,
    },
    database: { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX },
    api: { token: e.API_TOKEN },
    github: {
      graphqlUrl: e.GITHUB_GRAPHQL_URL,
      timeoutMs: e.GITHUB_TIMEOUT_MS,
      token: e.GITHUB_TOKEN,
      appId: e.GITHUB_APP_ID,
      appPrivateKey: e.GITHUB_APP_PRIVATE_KEY?.replace(/\\n/g, '\n'),
      callsPerHour: e.GITHUB_CALLS_PER_HOUR,
    },
    codegen: {
      apiUrl: e.CODEGEN_API_URL.replace(/\/+$/, ''),
      token: e.CODEGEN_TOKEN,
      orgId: e.CODEGEN_ORG_ID,
      timeoutMs: e.CODEGEN_TIMEOUT_MS,
      createsPerMinute: e.CODEGEN_CREATES_PER_MINUTE,
      readsPer30s: e.CODEGEN_READS_PER_30S,
    },
    logLevel: e.LOG_LEVEL,
    rulesFile: e.RULES_FILE,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    actorsEnabled: e.ACTORS_ENABLED,
    recovery: {
      enabled: e.RECOVERY_ENABLED,
      intervalMs: e.RECOVERY_INTERVAL_SECONDS * 1000,
      lookbackMs: e.RECOVERY_LOOKBACK_HOURS * 3_600_000,
      leaseTtlMs: e.RECOVERY_LEASE_SECONDS * 1000,
      hooks,
    },
  };
  return deepFreeze(config);
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

