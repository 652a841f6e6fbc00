import type { TaskDetail, TaskView } from '../api-types.js';
import { badge, dataTable, facts } from '../data-table.js';
import { append, el, externalLink } from '../el.js';
import { formatTime } from '../format.js';
import { jsonTree } from '../json-tree.js';
import { routeHash } from '../route.js';
import { runAction } from '../run-action.js';
import type { View, ViewContext } from '../view-context.js';

const RETRYABLE = new Set(['failed', 'dead', 'skipped']);
const UNDER_WAY = new Set(['queued', 'running', 'retrying']);

/**
 * One task: its reason, findings, every attempt with its error, its Codegen run, and Retry.
 * Refreshed every 5 s while the task is under way; a finished task stays as it is, so the
 * findings an operator unfolded do not fold up again.
 */
export const taskDetailView: View = async (root, context) => {
  const path = `/api/v1/tasks/${encodeURIComponent(context.route.id!)}`;
  let status = '';
  const render = async () => {
    const task = await context.api.get<TaskDetail>(path);
    status = task.status;
    renderTask(root, context, task, path);
  };
  await render();
  context.every(5000, async () => {
    if (UNDER_WAY.has(status)) await render();
  });
};

function renderTask(root: HTMLElement, context: ViewContext, task: TaskDetail, path: string): void {
  const id = task.id;
  const retry = el('button', { attrs: { type: 'button', 'data-action': 'retry', disabled: !RETRYABLE.has(task.status) } }, 'Retry');
  if (!RETRYABLE.has(task.status)) retry.title = 'Only failed, dead or skipped tasks can be retried.';
  retry.addEventListener('click', () =>
    void runAction<TaskView>(context, {
      title: 'Retry task',
      message:
        task.task_type === 'codegen_trigger'
          ? `Queue ${task.task_type} ${id} again? It forgets its Codegen run, so a new (paid) run starts.`
          : `Queue ${task.task_type} ${id} again for its actor?`,
      confirmLabel: 'Retry',
      call: () => context.api.post<TaskView>(`${path}/retry`),
      done: (answer) => `Task re-queued: it is now ${answer.status}.`,
    }),
  );
  const run = task.codegen_run;
  root.replaceChildren();
  append(
    root,
    el('p', { class: 'crumbs' }, el('a', { attrs: { href: routeHash('tasks') } }, 'Tasks'), ' / ', el('span', { class: 'mono' }, id)),
    el('div', { class: 'title-row' }, el('h1', {}, task.task_type), badge(task.status), retry),
    el('section', { class: 'panel reason-panel' }, el('h2', {}, 'Reason'), el('p', { class: 'reason' }, task.reason ?? 'No reason recorded yet.')),
    facts([
      ['Task id', el('span', { class: 'mono' }, task.id)],
      ['Repository', task.repository],
      ['Delivery', el('a', { class: 'mono', attrs: { href: routeHash('deliveries', task.delivery_id) } }, task.delivery_id)],
      ['Event', task.action ? `${task.event_type}.${task.action}` : task.event_type],
      ['Pull request', task.pull_request_number === null ? null : `#${task.pull_request_number}`],
      ['Head SHA', task.head_sha ? el('span', { class: 'mono' }, task.head_sha) : null],
      ['Last error', task.last_error ? el('span', { class: 'error' }, task.last_error) : null],
      ['Created', formatTime(task.created_at)],
      ['Updated', formatTime(task.updated_at)],
    ]),
    run || task.task_type === 'codegen_trigger'
      ? el(
          'section',
          { class: 'panel' },
          el('h2', {}, 'Codegen run'),
          run
            ? facts([
                ['Run', externalLink(run.web_url, `#${run.id}`)],
                ['Status', run.status ? badge(run.status) : null],
                ['Result', task.codegen_result ? el('p', { class: 'reason' }, task.codegen_result) : null],
              ])
            : el('p', { class: 'hint' }, 'No Codegen run started.'),
        )
      : null,
    el(
      'section',
      { class: 'panel attempts' },
      el('h2', {}, `Attempts (${task.attempts.length})`),
      dataTable(
        [
          { header: '#', cell: (a) => a.number },
          { header: 'Outcome', cell: (a) => (a.outcome ? badge(a.outcome) : badge('running')) },
          { header: 'Error', cell: (a) => (a.error ? el('span', { class: 'error' }, a.error) : '—') },
          { header: 'Started', cell: (a) => formatTime(a.started_at), wide: true },
          { header: 'Finished', cell: (a) => formatTime(a.finished_at), wide: true },
        ],
        task.attempts,
        'No attempt yet.',
      ),
    ),
    el('section', { class: 'panel' }, el('h2', {}, 'Findings'), task.findings ? jsonTree(task.findings, { openDepth: 2 }) : el('p', { class: 'hint' }, 'No findings recorded.')),
  );
}
