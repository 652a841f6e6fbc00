import type { Command } from 'commander';
import { redactUrl } from '../../startup/redact-url.js';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';

/** `migrate`: create the database when missing and apply pending migrations (idempotent). */
export function addMigrateCommand(program: Command, context: CommandContext): void {
  program
    .command('migrate')
    .description('create the database of DATABASE_URL when missing and apply pending migrations, then exit')
    .action(async (_options: unknown, command: Command) => {
      const { database: settings, logLevel } = context.config();
      // Loaded here, not at the top: the ORM is heavy and only this command needs it.
      const [{ openDatabase }, { probePostgres }, { createLogger }] = await Promise.all([
        import('../../effects/db/open-database.js'),
        import('../../effects/db/probe-postgres.js'),
        import('../../observability/logger.js'),
      ]);
      const target = redactUrl(settings.url);
      await probePostgres(settings.url).catch((error: unknown) => {
        throw new CliError('unreachable', `cannot reach PostgreSQL at ${target} (${describe(error)})`, { cause: error });
      });
      const level = logLevel === 'debug' || logLevel === 'trace' ? 'debug' : 'warn';
      const database = await openDatabase({ url: settings.url, poolMax: 2, logger: createLogger({ name: 'migrate', level }) }).catch(
        (error: unknown) => {
          throw new CliError('failed', `migration failed: ${describe(error)}`, { cause: error });
        },
      );
      try {
        context.print(command, { database: target, applied: database.applied }, ({ applied }) =>
          applied.length === 0 ? `${target}: schema is current, nothing to apply` : applied.map((name) => `${target}: applied ${name}`).join('\n'),
        );
      } finally {
        await database.close();
      }
    });
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}`.replace(/: $/, '') : message;
}
