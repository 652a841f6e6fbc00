import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { wholeNumber } from '../command-context.js';
import { formatTable } from '../format-table.js';

interface DeadLetterView {
  id: string;
  stream: string;
  consumer: string;
  subject: string;
  delivery_id: string | null;
  reason: string;
  failed_at: string;
}

/** `dlq list|redrive`: dead letters. */
export function addDlqCommand(program: Command, context: CommandContext): void {
  const dlq = program.command('dlq').description('dead letters (the DLQ stream): list them, redrive one');

  dlq
    .command('list')
    .description('list dead letters, newest first')
    .option('--limit <n>', 'page size, 1..1000', wholeNumber('--limit'), 50)
    .option('--offset <n>', 'rows to skip', wholeNumber('--offset'), 0)
    .action(async (options: { limit: number; offset: number }, command: Command) => {
      const page = await context
        .api(command)
        .call<{ dead_letters: DeadLetterView[]; total: number }>('GET', '/api/v1/dead-letters', { limit: options.limit, offset: options.offset });
      context.print(command, page, ({ dead_letters: rows, total }) =>
        [
          formatTable(rows, [
            { title: 'id', value: (d) => d.id },
            { title: 'from', value: (d) => `${d.stream}/${d.consumer}` },
            { title: 'subject', value: (d) => d.subject },
            { title: 'delivery', value: (d) => d.delivery_id, max: 36 },
            { title: 'reason', value: (d) => d.reason, max: 60 },
            { title: 'failed', value: (d) => d.failed_at },
          ]),
          `${rows.length} of ${total} dead letter(s)`,
        ].join('\n'),
      );
    });

  dlq
    .command('redrive <id>')
    .description('publish a dead letter again on its original subject')
    .action(async (id: string, _options: unknown, command: Command) => {
      const receipt = await context
        .api(command)
        .call<{ id: string; subject: string; stream: string; seq: number }>('POST', `/api/v1/dead-letters/${encodeURIComponent(id)}/redrive`);
      context.print(command, receipt, (value) => `dead letter ${value.id} published again on ${value.subject} (${value.stream} #${value.seq})`);
    });
}
