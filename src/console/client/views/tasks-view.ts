import type { TaskList, TaskView } from '../api-types.js';
import { badge } from '../data-table.js';
import { el } from '../el.js';
import { everyMember } from '../every-member.js';
import { formatTime } from '../format.js';
import { listView } from '../list-view.js';
import { routeHash } from '../route.js';

const TYPES = everyMember<TaskView['task_type']>()(['pull_request_analysis', 'check_failure_analysis', 'check_suite_failure_analysis', 'push_analysis', 'codegen_trigger']);
const STATUSES = everyMember<TaskView['status']>()(['queued', 'running', 'retrying', 'succeeded', 'failed', 'skipped', 'dead']);

/** Tasks, newest first, filtered by type, status and repository. */
export const tasksView = listView<TaskView, TaskList>({
  route: 'tasks',
  title: 'Tasks',
  endpoint: '/api/v1/tasks',
  filters: [
    { name: 'task_type', label: 'Type', kind: 'select', options: TYPES },
    { name: 'status', label: 'Status', kind: 'select', options: STATUSES },
    { name: 'repository', label: 'Repository', kind: 'text', placeholder: 'owner/name' },
  ],
  rows: (page) => page.tasks,
  columns: [
    { header: 'Task', cell: (t) => el('a', { attrs: { href: routeHash('tasks', t.id) } }, t.task_type) },
    { header: 'Status', cell: (t) => badge(t.status) },
    { header: 'Repository', cell: (t) => t.repository, wide: true },
    { header: 'Reason', cell: (t) => el('span', { class: 'reason' }, t.reason ?? t.last_error ?? '—') },
    { header: 'Updated', cell: (t) => formatTime(t.updated_at), wide: true },
  ],
  empty: 'No tasks match these filters.',
});
