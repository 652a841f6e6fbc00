import { operatorEnvSchema } from './config-schema.js';
import { ConfigError, deepFreeze } from './load-config.js';

/** What the operator CLI needs, from the same variables (and zod schema) as the service. */
export interface OperatorConfig {
  /** ORCHESTRATOR_URL: the running service the API commands talk to. */
  readonly orchestratorUrl: string;
  readonly apiToken: string | undefined;
  /** GITHUB_WEBHOOK_SECRET as a list; empty when unset (only `send` needs it). */
  readonly webhookSecrets: readonly string[];
  readonly nats: { servers: readonly string[]; namespace: string; streamsDir: string; duplicateWindowSeconds: number | undefined; replicas: number };
  readonly database: { url: string };
  readonly logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
}

/** Parses the CLI's environment; throws {@link ConfigError} naming every wrong variable. */
export function loadOperatorConfig(env: Record<string, string | undefined>): OperatorConfig {
  const parsed = operatorEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`));
  }
  const e = parsed.data;
  return deepFreeze({
    orchestratorUrl: e.ORCHESTRATOR_URL.replace(/\/+$/, ''),
    apiToken: e.API_TOKEN,
    webhookSecrets: e.GITHUB_WEBHOOK_SECRET,
    nats: { servers: e.NATS_URL, namespace: e.NATS_NAMESPACE, streamsDir: e.STREAMS_DIR, duplicateWindowSeconds: e.GITHUB_DUPLICATE_WINDOW_SECONDS, replicas: e.NATS_REPLICAS },
    database: { url: e.DATABASE_URL },
    logLevel: e.LOG_LEVEL,
  });
}
