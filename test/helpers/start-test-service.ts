import { loadConfig } from '../../src/config/load-config.js';
import { startService, type Service } from '../../src/service.js';
import { captureLogger } from './capture-logger.js';
import { deleteNamespace, NATS_URL, uniqueNamespace } from './test-nats.js';

export const TEST_SECRET = "It's a Secret to Everybody";

export interface TestService extends Service {
  namespace: string;
  lines: string[];
  /** Closes the service and deletes its streams. */
  dispose(): Promise<void>;
}

/** The whole service in-process on a free port, in a namespace of its own. */
export async function startTestService(env: Record<string, string> = {}): Promise<TestService> {
  const namespace = uniqueNamespace();
  const config = loadConfig({
    GITHUB_WEBHOOK_SECRET: TEST_SECRET,
    PORT: '0',
    HOST: '127.0.0.1',
    NATS_URL,
    LOG_LEVEL: 'debug',
    ...env,
  });
  const { logger, lines } = captureLogger({ secrets: [...config.webhook.secrets] });
  const service = await startService({ config, logger, namespace });
  return {
    ...service,
    namespace,
    lines,
    async dispose() {
      await service.close();
      await deleteNamespace(namespace, config.nats.servers[0]);
    },
  };
}
