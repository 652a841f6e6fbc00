import { loadConfig } from '../../src/config/load-config.js';
import { startService, type Service, type ServiceOptions } from '../../src/service.js';
import { captureLogger } from './capture-logger.js';
import { dropTestDatabase, testDatabaseUrl, uniqueDatabaseName } from './test-database.js';
import { deleteNamespace, NATS_URL, uniqueNamespace } from './test-nats.js';

export const TEST_SECRET = "It's a Secret to Everybody";

export interface TestService extends Service {
  namespace: string;
  databaseName: string;
  lines: string[];
  /** Closes the service, deletes its streams and drops its database. */
  dispose(): Promise<void>;
}

export type TestServiceOptions = Omit<ServiceOptions, 'config' | 'logger' | 'namespace'> & {
  namespace?: string;
  databaseName?: string;
};

/**
 * The whole service in-process on a free port, in a NATS namespace and a database of its own.
 * Pass the same `namespace` and `databaseName` to start a second instance on the same state
 * (a restart, or horizontal scale).
 */
export async function startTestService(env: Record<string, string> = {}, options: TestServiceOptions = {}): Promise<TestService> {
  const namespace = options.namespace ?? uniqueNamespace();
  const databaseName = options.databaseName ?? uniqueDatabaseName();
  const config = loadConfig({
    GITHUB_WEBHOOK_SECRET: TEST_SECRET,
    PORT: '0',
    HOST: '127.0.0.1',
    NATS_URL,
    DATABASE_URL: testDatabaseUrl(databaseName),
    LOG_LEVEL: 'debug',
    // The example payloads' event times are from 2019, and many tests send the same example body
    // more than once: the event-age rule and the replay check are off unless a test turns them on
    // (replay-protection.test.ts does).
    WEBHOOK_MAX_EVENT_AGE_SECONDS: '0',
    WEBHOOK_REPLAY_TTL_SECONDS: '0',
    ...env,
  });
  const { logger, lines } = captureLogger({ secrets: [...config.webhook.secrets] });
  const service = await startService({ config, logger, namespace, ...options });
  return {
    ...service,
    namespace,
    databaseName,
    lines,
    async dispose() {
      await service.close();
      await deleteNamespace(namespace, config.nats.servers[0]);
      await dropTestDatabase(databaseName);
    },
  };
}
