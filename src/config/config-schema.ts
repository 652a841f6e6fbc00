import { z } from 'zod';

const csv = (value: string): string[] =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalSecret = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));
const url = (fallback: string) => z.url().default(fallback);
const boolean = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

/**
 * The environment, as the service reads it (the README's configuration table); everything but
 * GITHUB_WEBHOOK_SECRET has a default that works on a developer machine.
 */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().default('0.0.0.0'),
  GITHUB_WEBHOOK_SECRET: z
    .string({ error: 'is required (the secret configured on the GitHub webhook)' })
    .transform(csv)
    .pipe(z.array(z.string()).min(1, 'must contain at least one non-empty secret')),
  NATS_URL: z.string().default('nats://127.0.0.1:4222').transform(csv),
  NATS_NAMESPACE: z.string().regex(/^[A-Za-z0-9_-]*$/, 'may contain only letters, digits, "_" and "-"').default(''),
  DATABASE_URL: z
    .string()
    .default('postgresql://postgres@127.0.0.1:5432/orchestrator')
    .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgresql:// URL'),
  DATABASE_POOL_MAX: positiveInt(20),
  API_TOKEN: optionalSecret.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  GITHUB_GRAPHQL_URL: url('https://api.github.com/graphql'),
  GITHUB_TOKEN: optionalSecret,
  GITHUB_APP_ID: optionalSecret,
  GITHUB_APP_PRIVATE_KEY: optionalSecret,
  CODEGEN_API_URL: url('https://api.codegen.com'),
  CODEGEN_TOKEN: optionalSecret,
  CODEGEN_ORG_ID: optionalSecret,
  CODEGEN_TIMEOUT_MS: positiveInt(15_000),
  GITHUB_TIMEOUT_MS: positiveInt(10_000),
  GITHUB_CALLS_PER_HOUR: positiveInt(4000),
  CODEGEN_CREATES_PER_MINUTE: positiveInt(10),
  CODEGEN_READS_PER_30S: positiveInt(60),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  RULES_FILE: z.string().optional(),
  STREAMS_DIR: z.string().default('streams'),
  WEBHOOK_MAX_BODY_BYTES: positiveInt(25 * 1024 * 1024),
  WEBHOOK_INFLIGHT_BYTES_MAX: positiveInt(32 * 1024 * 1024),
  WEBHOOK_RATE_LIMIT_PER_ADDRESS: positiveInt(5000),
  WEBHOOK_RATE_LIMIT_GLOBAL: positiveInt(20000),
  WEBHOOK_RATE_LIMIT_WINDOW_MS: positiveInt(1000),
  // 3 days (GitHub's redelivery horizon) + 6 h of slack for delivery delays and clock skew; 0 disables.
  WEBHOOK_MAX_EVENT_AGE_SECONDS: z.coerce.number().int().min(0).default(3 * 86_400 + 6 * 3600),
  // How long an accepted body's digest is kept: 4 days, so it outlives the event-age rule; 0 disables.
  WEBHOOK_REPLAY_TTL_SECONDS: z.coerce.number().int().min(0).default(4 * 86_400),
  NATS_PUBLISH_TIMEOUT_MS: positiveInt(3000),
  GITHUB_DUPLICATE_WINDOW_SECONDS: z.coerce.number().int().positive().optional(),
  // Copies JetStream keeps of every stream and bucket: 3 on a 3-node cluster survives one node lost.
  NATS_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  SHUTDOWN_TIMEOUT_MS: positiveInt(8000),
  ACTORS_ENABLED: boolean(true),
  ORCHESTRATOR_URL: url('http://127.0.0.1:8000'),
  RECOVERY_ENABLED: boolean(true),
  RECOVERY_INTERVAL_SECONDS: positiveInt(300),
  RECOVERY_LOOKBACK_HOURS: z.coerce.number().positive().max(72).default(72),
  RECOVERY_LEASE_SECONDS: positiveInt(60),
  RECOVERY_HOOKS: z.string().default('').transform(csv),
});

/**
 * What the operator CLI reads: the same variables, but the webhook secret is needed only by
 * `send` (and `serve`, which loads the full schema), so it is optional here.
 */
export const operatorEnvSchema = envSchema.extend({
  GITHUB_WEBHOOK_SECRET: z
    .string()
    .optional()
    .transform((value) => (value === undefined ? [] : csv(value))),
});

export type Env = z.input<typeof envSchema>;
