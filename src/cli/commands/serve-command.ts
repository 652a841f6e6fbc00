import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';

/** `serve`: the service itself (what `npm start` runs). */
export function addServeCommand(program: Command, context: CommandContext): void {
  program
    .command('serve')
    .description('run the service: HTTP ingress, actors, management API (configured by the environment; stops on SIGTERM/SIGINT)')
    .action(async () => {
      // `npm start` preloads the telemetry set-up with --import (the same module, so it runs once);
      // a bare `orchestrator serve` loads it here, before the service's modules.
      await import('../../instrumentation.js');
      const { runService } = await import('../../run-service.js');
      await runService(context.io.env);
      // runService returns once listening; the process then lives until a signal ends it.
      await new Promise(() => undefined);
    });
}
