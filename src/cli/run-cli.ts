import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_CODES } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { createCommandContext } from './command-context.js';
import { addDeliveriesCommand } from './commands/deliveries-command.js';
import { addDlqCommand } from './commands/dlq-command.js';
import { addMigrateCommand } from './commands/migrate-command.js';
import { addRecoverCommand } from './commands/recover-command.js';
import { addSendCommand } from './commands/send-command.js';
import { addServeCommand } from './commands/serve-command.js';
import { addStreamsCommand } from './commands/streams-command.js';
import { addTasksCommand } from './commands/tasks-command.js';

/** The `orchestrator` program with every command, writing to `io`. */
export function createProgram(io: CliIo): Command {
  const program = new Command('orchestrator')
    .description('webhook-orchestrator: run the service, migrate, manage streams, inspect and act on tasks, deliveries and dead letters')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--json', 'print machine-readable JSON instead of tables')
    .option('--url <url>', 'the running service (default: ORCHESTRATOR_URL, else http://127.0.0.1:8000)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) })
    .showHelpAfterError('(add --help for usage)');
  const context = createCommandContext(io);
  addServeCommand(program, context);
  addMigrateCommand(program, context);
  addStreamsCommand(program, context);
  addTasksCommand(program, context);
  addDeliveriesCommand(program, context);
  addDlqCommand(program, context);
  addRecoverCommand(program, context);
  addSendCommand(program, context);
  program.addHelpText('after', () => `\nEvery command:\n${leafCommands(program).map((line) => `  ${line}`).join('\n')}\n\n${EPILOGUE}`);
  return program;
}

const EPILOGUE = [
  'Configuration: the service\'s environment variables (ORCHESTRATOR_URL, API_TOKEN, NATS_URL, NATS_NAMESPACE,',
  'DATABASE_URL, STREAMS_DIR, GITHUB_WEBHOOK_SECRET for send), validated by the same schema.',
  'Exit codes: 0 ok, 1 failed or refused, 2 usage, 3 not found, 4 service, NATS or PostgreSQL unreachable.',
].join('\n');

/**
 * Runs `orchestrator <argv>` and resolves with the exit code (see EXIT_CODES). `serve` resolves
 * only when the service stops the process itself.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end "successfully"; anything else commander rejects is a usage error.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    if (error instanceof CliError) {
      io.err(`orchestrator: ${error.message}\n`);
      return error.exitCode;
    }
    io.err(`orchestrator: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_CODES.failed;
  }
}

function leafCommands(command: Command, prefix = ''): string[] {
  return command.commands.flatMap((child) => {
    const name = `${prefix}${child.name()}`;
    if (child.commands.length > 0) return leafCommands(child, `${name} `);
    const args = child.registeredArguments.map((argument) => (argument.required ? `<${argument.name()}>` : `[${argument.name()}]`)).join(' ');
    return [`${`${name} ${args}`.trim().padEnd(34)} ${child.description()}`];
  });
}

function packageVersion(): string {
  // src/cli and dist/cli are both two levels below the package root.
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
