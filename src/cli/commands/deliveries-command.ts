import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { wholeNumber } from '../command-context.js';
import { formatRecord, formatTable } from '../format-table.js';

interface DeliveryView {
  delivery_id: string;
  event_type: string;
  action: string | null;
  repository: string | null;
  outcome: string;
  received_at: string;
  error: string | null;
}

/** `deliveries list|show|replay`: the delivery API. */
export function addDeliveriesCommand(program: Command, context: CommandContext): void {
  const deliveries = program.command('deliveries').description('accepted GitHub deliveries: list, show one with its tasks, replay one');

  deliveries
    .command('list')
    .description('list deliveries and their outcomes, newest first')
    .option('--event <event>', 'e.g. pull_request')
    .option('--repository <owner/name>', 'only this repository')
    .option('--outcome <outcome>', 'received, processed, ignored, duplicate, failed or dead')
    .option('--limit <n>', 'page size, 1..1000', wholeNumber('--limit'), 50)
    .option('--offset <n>', 'rows to skip', wholeNumber('--offset'), 0)
    .action(async (options: Record<string, string | number | undefined>, command: Command) => {
      const page = await context.api(command).call<{ deliveries: DeliveryView[]; total: number }>('GET', '/api/v1/deliveries', {
        event: options.event,
        repository: options.repository,
        outcome: options.outcome,
        limit: options.limit,
        offset: options.offset,
      });
      context.print(command, page, ({ deliveries: rows, total }) =>
        [
          formatTable(rows, [
            { title: 'delivery', value: (d) => d.delivery_id, max: 36 },
            { title: 'event', value: (d) => (d.action ? `${d.event_type}.${d.action}` : d.event_type) },
            { title: 'repository', value: (d) => d.repository },
            { title: 'outcome', value: (d) => d.outcome },
            { title: 'received', value: (d) => d.received_at },
            { title: 'error', value: (d) => d.error, max: 50 },
          ]),
          `${rows.length} of ${total} deliver${total === 1 ? 'y' : 'ies'}`,
        ].join('\n'),
      );
    });

  deliveries
    .command('show <delivery_id>')
    .description('a delivery with the tasks it created')
    .action(async (id: string, _options: unknown, command: Command) => {
      const delivery = await context.api(command).call<Record<string, unknown>>('GET', `/api/v1/deliveries/${encodeURIComponent(id)}`);
      context.print(command, delivery, (value) => formatRecord(value));
    });

  deliveries
    .command('replay <delivery_id>')
    .description('run a stored delivery through its actor again')
    .action(async (id: string, _options: unknown, command: Command) => {
      const receipt = await context
        .api(command)
        .call<{ delivery_id: string; stream: string; seq: number }>('POST', `/api/v1/deliveries/${encodeURIComponent(id)}/replay`);
      context.print(command, receipt, (value) => `delivery ${value.delivery_id} queued again (${value.stream} #${value.seq})`);
    });
}
