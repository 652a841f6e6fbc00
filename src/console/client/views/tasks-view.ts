import type { TaskList } from '../api-types.js';
import { badge, dataTable } from '../data-table.js';
import { el } from '../el.js';
import { filterForm } from '../filter-form.js';
import { formatTime } from '../format.js';
import { pager } from '../pager.js';
import { routeHash } from '../route.js';
import type { View } from '../view-context.js';

const TYPES = ['pull_request_analysis', 'check_failure_analysis', 'check_suite_failure_analysis', 'push_analysis', 'codegen_trigger'] as const;
const STATUSES = ['queued', 'running', 'retrying', 'succeeded', 'failed', 'skipped', 'dead'] as const;
const PAGE = 50;

/** Tasks, newest first, filtered by type, status and repository; refreshed every 5 s. */
export const tasksView: View = async (root, context) => {
  const { query } = context.route;
  const offset = Number(query.get('offset') ?? 0) || 0;
  const form = filterForm(
    [
      { name: 'task_type', label: 'Type', kind: 'select', options: TYPES },
      { name: 'status', label: 'Status', kind: 'select', options: STATUSES },
      { name: 'repository', label: 'Repository', kind: 'text', placeholder: 'owner/name' },
    ],
    query,
    (next) => {
      location.hash = routeHash('tasks', undefined, next);
    },
  );
  const results = el('div', { class: 'results' });
  root.replaceChildren(el('h1', {}, 'Tasks'), form, results);

  const render = async () => {
    const params = new URLSearchParams(query);
    params.set('limit', String(PAGE));
    params.set('offset', String(offset));
    const page = await context.api.get<TaskList>(`/api/v1/tasks?${params}`);
    results.replaceChildren(
      dataTable(
        [
          { header: 'Task', cell: (t) => el('a', { attrs: { href: routeHash('tasks', t.id) } }, t.task_type) },
          { header: 'Status', cell: (t) => badge(t.status) },
          { header: 'Repository', cell: (t) => t.repository, wide: true },
          { header: 'Reason', cell: (t) => el('span', { class: 'reason' }, t.reason ?? t.last_error ?? '—') },
          { header: 'Updated', cell: (t) => formatTime(t.updated_at), wide: true },
        ],
        page.tasks,
        'No tasks match these filters.',
      ),
      pager(page.total, page.limit, page.offset, (next) => {
        const target = new URLSearchParams(query);
        target.set('offset', String(next));
        return routeHash('tasks', undefined, target);
      }),
    );
  };
  await render();
  context.every(5000, render);
};
