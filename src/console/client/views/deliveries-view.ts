import type { DeliveryList } from '../api-types.js';
import { badge } from '../data-table.js';
import { el } from '../el.js';
import { everyMember } from '../every-member.js';
import { formatTime } from '../format.js';
import { listView } from '../list-view.js';
import { routeHash } from '../route.js';

type Delivery = DeliveryList['deliveries'][number];

const OUTCOMES = everyMember<Delivery['outcome']>()(['received', 'processed', 'ignored', 'duplicate', 'failed', 'dead']);

/** Deliveries, newest first, filtered by event, action, repository, outcome and time. */
export const deliveriesView = listView<Delivery, DeliveryList>({
  route: 'deliveries',
  title: 'Deliveries',
  endpoint: '/api/v1/deliveries',
  filters: [
    { name: 'event', label: 'Event', kind: 'text', placeholder: 'pull_request' },
    { name: 'action', label: 'Action', kind: 'text', placeholder: 'opened' },
    { name: 'repository', label: 'Repository', kind: 'text', placeholder: 'owner/name' },
    { name: 'outcome', label: 'Outcome', kind: 'select', options: OUTCOMES },
    { name: 'since', label: 'Received from', kind: 'time' },
    { name: 'until', label: 'Received until', kind: 'time' },
  ],
  rows: (page) => page.deliveries,
  columns: [
    { header: 'Delivery', cell: (d) => el('a', { class: 'mono', attrs: { href: routeHash('deliveries', d.delivery_id) } }, d.delivery_id) },
    { header: 'Event', cell: (d) => (d.action ? `${d.event_type}.${d.action}` : d.event_type) },
    { header: 'Repository', cell: (d) => d.repository ?? '—', wide: true },
    { header: 'Outcome', cell: (d) => badge(d.outcome) },
    { header: 'Received', cell: (d) => formatTime(d.received_at), wide: true },
  ],
  empty: 'No deliveries match these filters.',
});
