import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { formatTable } from '../format-table.js';

interface RecoveryRunView {
  id: string;
  trigger: string;
  status: string;
  since: string;
  started_at: string;
  scanned: number;
  failed: number;
  already_accepted: number;
  requested: number;
  resume_at: string | null;
  error: string | null;
  requests: Array<{ guid: string; event: string; action: string | null; failed_status_code: number; outcome: string }>;
}

/** `recover [--since]`: start a missed-delivery recovery run and follow it; `--list` shows past runs. */
export function addRecoverCommand(program: Command, context: CommandContext): void {
  program
    .command('recover')
    .description('ask GitHub to redeliver failed deliveries the service never accepted (starts a run and waits for it)')
    .option('--since <time>', 'look back to this ISO-8601 time or duration (e.g. 6h, 2d), ignoring the checkpoint; at most 3 days')
    .option('--no-wait', 'return once the run has started')
    .option('--list', 'list the last runs and the redeliveries they asked for instead')
    .action(async (options: { since?: string; wait: boolean; list?: boolean }, command: Command) => {
      const api = context.api(command);
      if (options.list) {
        const page = await api.call<{ recoveries: RecoveryRunView[]; total: number }>('GET', '/api/v1/recoveries', { limit: 20 });
        context.print(command, page, ({ recoveries }) => runsTable(recoveries));
        return;
      }
      const since = options.since === undefined ? undefined : parseSince(options.since, Date.now());
      const started = await api.call<{ run: RecoveryRunView }>('POST', '/api/v1/recoveries', { since });
      let run = started.run;
      const deadline = Date.now() + 120_000;
      while (options.wait && run.status === 'running' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const page = await api.call<{ recoveries: RecoveryRunView[] }>('GET', '/api/v1/recoveries', { limit: 20 });
        run = page.recoveries.find((candidate) => candidate.id === run.id) ?? run;
      }
      context.print(command, run, (value) =>
        [
          `recovery run ${value.id}: ${value.status} (since ${value.since})`,
          `  attempts listed ${value.scanned}, failed events ${value.failed}, accepted after all ${value.already_accepted}, redeliveries asked ${value.requested}`,
          ...(value.resume_at ? [`  paused by GitHub's rate limit until ${value.resume_at}; it resumes by itself`] : []),
          ...(value.error ? [`  error: ${value.error}`] : []),
          ...value.requests.map((request) => `  redeliver ${request.guid} ${request.event}${request.action ? `.${request.action}` : ''} (was ${request.failed_status_code}): ${request.outcome}`),
        ].join('\n'),
      );
      if (run.status === 'failed') throw new CliError('failed', `recovery run failed: ${run.error ?? 'see the service logs'}`);
    });
}

function runsTable(runs: readonly RecoveryRunView[]): string {
  return formatTable(runs, [
    { title: 'id', value: (r) => r.id, max: 36 },
    { title: 'trigger', value: (r) => r.trigger },
    { title: 'status', value: (r) => r.status },
    { title: 'started', value: (r) => r.started_at },
    { title: 'listed', value: (r) => r.scanned },
    { title: 'failed', value: (r) => r.failed },
    { title: 'accepted', value: (r) => r.already_accepted },
    { title: 'redelivered', value: (r) => r.requested },
  ]);
}

/** An ISO-8601 time, or a duration back from now (`90m`, `6h`, `2d`). */
export function parseSince(text: string, nowMs: number): string {
  const duration = /^(\d{1,5})([mhd])$/.exec(text);
  if (duration) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[duration[2] as 'm' | 'h' | 'd'];
    return new Date(nowMs - Number(duration[1]) * unit).toISOString();
  }
  if (!Number.isNaN(Date.parse(text)) && /^\d{4}-\d{2}-\d{2}T/.test(text)) return new Date(text).toISOString();
  throw new CliError('usage', `--since must be an ISO-8601 time or a duration such as 6h or 2d, got "${text}"`);
}
