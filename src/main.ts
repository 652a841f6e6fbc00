import { ConfigError, loadConfig, secretsOf } from './config/load-config.js';
import { flushTelemetry } from './observability/flush-telemetry.js';
import { createLogger } from './observability/logger.js';
import { startService } from './service.js';

/** Entry point: the only module that reads process.env and handles signals. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`webhook-orchestrator: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  const service = await startService({ config, logger, namespace: process.env.NATS_NAMESPACE ?? '' });

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

main().catch((error: unknown) => {
  process.stderr.write(`webhook-orchestrator: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
