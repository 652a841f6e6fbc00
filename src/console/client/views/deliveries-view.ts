import type { DeliveryList } from '../api-types.js';
import { badge, dataTable } from '../data-table.js';
import { el } from '../el.js';
import { filterForm } from '../filter-form.js';
import { formatTime } from '../format.js';
import { pager } from '../pager.js';
import { routeHash } from '../route.js';
import type { View } from '../view-context.js';

const OUTCOMES = ['received', 'processed', 'ignored', 'duplicate', 'failed', 'dead'] as const;
const PAGE = 50;

/** Deliveries, newest first, filtered by event, action, repository, outcome and time; refreshed every 5 s. */
export const deliveriesView: View = async (root, context) => {
  const { query } = context.route;
  const offset = Number(query.get('offset') ?? 0) || 0;
  const form = filterForm(
    [
      { name: 'event', label: 'Event', kind: 'text', placeholder: 'pull_request' },
      { name: 'action', label: 'Action', kind: 'text', placeholder: 'opened' },
      { name: 'repository', label: 'Repository', kind: 'text', placeholder: 'owner/name' },
      { name: 'outcome', label: 'Outcome', kind: 'select', options: OUTCOMES },
      { name: 'since', label: 'Received from', kind: 'time' },
      { name: 'until', label: 'Received until', kind: 'time' },
    ],
    query,
    (next) => {
      location.hash = routeHash('deliveries', undefined, next);
    },
  );
  const results = el('div', { class: 'results' });
  root.replaceChildren(el('h1', {}, 'Deliveries'), form, results);

  const render = async () => {
    const params = new URLSearchParams(query);
    params.set('limit', String(PAGE));
    params.set('offset', String(offset));
    const page = await context.api.get<DeliveryList>(`/api/v1/deliveries?${params}`);
    results.replaceChildren(
      dataTable(
        [
          { header: 'Delivery', cell: (d) => el('a', { class: 'mono', attrs: { href: routeHash('deliveries', d.delivery_id) } }, d.delivery_id) },
          { header: 'Event', cell: (d) => (d.action ? `${d.event_type}.${d.action}` : d.event_type) },
          { header: 'Repository', cell: (d) => d.repository ?? '—', wide: true },
          { header: 'Outcome', cell: (d) => badge(d.outcome) },
          { header: 'Received', cell: (d) => formatTime(d.received_at), wide: true },
        ],
        page.deliveries,
        'No deliveries match these filters.',
      ),
      pager(page.total, page.limit, page.offset, (next) => {
        const target = new URLSearchParams(query);
        target.set('offset', String(next));
        return routeHash('deliveries', undefined, target);
      }),
    );
  };
  await render();
  context.every(5000, render);
};
