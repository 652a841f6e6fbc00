import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { wholeNumber } from '../command-context.js';
import { formatRecord, formatTable } from '../format-table.js';

interface TaskView {
  id: string;
  task_type: string;
  status: string;
  repository: string | null;
  pull_request_number: number | null;
  head_sha: string | null;
  attempt_count: number;
  reason: string | null;
  created_at: string;
}

/** `tasks list|show|retry`: the task API. */
export function addTasksCommand(program: Command, context: CommandContext): void {
  const tasks = program.command('tasks').description('workflow tasks: list, show one with its attempts, retry a failed one');

  tasks
    .command('list')
    .description('list tasks, newest first')
    .option('--status <status>', 'queued, running, retrying, succeeded, failed, skipped or dead')
    .option('--type <task_type>', 'e.g. check_failure_analysis, codegen_trigger')
    .option('--repository <owner/name>', 'only this repository')
    .option('--delivery <delivery_id>', 'only tasks of this delivery')
    .option('--limit <n>', 'page size, 1..1000', wholeNumber('--limit'), 50)
    .option('--offset <n>', 'rows to skip', wholeNumber('--offset'), 0)
    .action(async (options: Record<string, string | number | undefined>, command: Command) => {
      const page = await context.api(command).call<{ tasks: TaskView[]; total: number }>('GET', '/api/v1/tasks', {
        status: options.status,
        task_type: options.type,
        repository: options.repository,
        delivery_id: options.delivery,
        limit: options.limit,
        offset: options.offset,
      });
      context.print(command, page, ({ tasks: rows, total }) =>
        [
          formatTable(rows, [
            { title: 'id', value: (t) => t.id, max: 36 },
            { title: 'type', value: (t) => t.task_type },
            { title: 'status', value: (t) => t.status },
            { title: 'repository', value: (t) => t.repository },
            { title: 'pr', value: (t) => t.pull_request_number },
            { title: 'head', value: (t) => t.head_sha?.slice(0, 7) },
            { title: 'tries', value: (t) => t.attempt_count },
            { title: 'reason', value: (t) => t.reason, max: 60 },
          ]),
          `${rows.length} of ${total} task(s)`,
        ].join('\n'),
      );
    });

  tasks
    .command('show <id>')
    .description('a task with its findings, Codegen run and attempts')
    .action(async (id: string, _options: unknown, command: Command) => {
      const task = await context.api(command).call<Record<string, unknown>>('GET', `/api/v1/tasks/${encodeURIComponent(id)}`);
      context.print(command, task, (value) => formatRecord(value));
    });

  tasks
    .command('retry <id>')
    .description('re-queue a failed, dead or skipped task')
    .action(async (id: string, _options: unknown, command: Command) => {
      const task = await context.api(command).call<TaskView>('POST', `/api/v1/tasks/${encodeURIComponent(id)}/retry`);
      context.print(command, task, (value) => `task ${value.id} is ${value.status} again`);
    });
}
