import { ConfigError, loadConfig, secretsOf } from './config/load-config.js';
import { flushTelemetry } from './observability/flush-telemetry.js';
import { createLogger } from './observability/logger.js';
import { startService } from './service.js';

/**
 * Runs the service until SIGTERM or SIGINT, from an environment handed in by an entry point
 * (`main.ts`, or `orchestrator serve`). A bad configuration ends the process with 78 (EX_CONFIG)
 * and one line naming every wrong variable.
 */
export async function runService(env: Record<string, string | undefined>): Promise<void> {
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`webhook-orchestrator: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  const service = await startService({ config, logger, namespace: config.nats.namespace });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'signal received');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 1500);
    force.unref();
    service
      .close()
      .then(() => flushTelemetry())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
