import type { Command } from 'commander';
import { ConfigError } from '../config/load-config.js';
import { loadOperatorConfig, type OperatorConfig } from '../config/load-operator-config.js';
import { createApiClient, type ApiClient } from './api-client.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';

/** What every command gets: configuration, the API client and the output rule. */
export interface CommandContext {
  io: CliIo;
  /** The configuration (same zod schema as the service); a bad value is a usage error (exit 2). */
  config(): OperatorConfig;
  /** The management API of the service named by `--url` or ORCHESTRATOR_URL. */
  api(command: Command): ApiClient;
  /** Prints `value` as JSON with `--json`, else as `render(value)` says. */
  print<T>(command: Command, value: T, render: (value: T) => string): void;
}

export function createCommandContext(io: CliIo): CommandContext {
  let config: OperatorConfig | undefined;
  const context: CommandContext = {
    io,
    config() {
      try {
        return (config ??= loadOperatorConfig(io.env));
      } catch (error) {
        if (error instanceof ConfigError) throw new CliError('usage', error.message);
        throw error;
      }
    },
    api(command) {
      const options = command.optsWithGlobals<{ url?: string }>();
      return createApiClient({ baseUrl: options.url ?? context.config().orchestratorUrl, token: context.config().apiToken, fetch: io.fetch });
    },
    print(command, value, render) {
      const { json } = command.optsWithGlobals<{ json?: boolean }>();
      io.out(`${json ? JSON.stringify(value, null, 2) : render(value)}\n`);
    },
  };
  return context;
}

/** Parses a whole-number option, or fails as a usage error naming it. */
export function wholeNumber(name: string): (value: string) => number {
  return (value) => {
    if (!/^\d{1,9}$/.test(value)) throw new CliError('usage', `${name} must be a whole number, got "${value}"`);
    return Number(value);
  };
}
