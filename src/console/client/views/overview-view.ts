import type { Overview } from '../api-types.js';
import { badge, dataTable } from '../data-table.js';
import { el } from '../el.js';
import { routeHash } from '../route.js';
import type { View } from '../view-context.js';

const WINDOW_MINUTES = 15;
const POLL_MS = 5000;

/**
 * Overview: deliveries per minute (chart) and by type and outcome, task outcomes, breakers,
 * queue depths and the dead letters waiting, from GET /api/v1/overview, polled every 5 s while
 * shown. Polling rather than Server-Sent Events: EventSource cannot send the bearer token.
 */
export const overviewView: View = async (root, context) => {
  const render = async () => {
    const overview = await context.api.get<Overview>(`/api/v1/overview?minutes=${WINDOW_MINUTES}`);
    root.replaceChildren(
      el('h1', {}, 'Overview'),
      el('p', { class: 'hint' }, `The last ${overview.minutes} minutes, updated every ${POLL_MS / 1000} s. `, el('span', { class: 'updated' }, `As of ${new Date(overview.generated_at).toLocaleTimeString()}.`)),
      el('div', { class: 'cards' }, ...summaryCards(overview)),
      el('section', { class: 'panel' }, el('h2', {}, 'Deliveries per minute'), perMinuteChart(overview)),
      el(
        'div',
        { class: 'panels' },
        el(
          'section',
          { class: 'panel' },
          el('h2', {}, 'Events by type and outcome'),
          dataTable(
            [
              { header: 'Event', cell: (row) => el('a', { attrs: { href: routeHash('deliveries', undefined, { event: row.event_type, outcome: row.outcome }) } }, row.event_type) },
              { header: 'Outcome', cell: (row) => badge(row.outcome) },
              { header: 'Count', cell: (row) => row.count },
              { header: 'Per minute', cell: (row) => row.per_minute.toFixed(2) },
            ],
            overview.deliveries.by_type,
            'No deliveries in this window.',
          ),
        ),
        el(
          'section',
          { class: 'panel' },
          el('h2', {}, 'Task outcomes'),
          dataTable(
            [
              { header: 'Task type', cell: (row) => el('a', { attrs: { href: routeHash('tasks', undefined, { task_type: row.task_type, status: row.status }) } }, row.task_type) },
              { header: 'Status', cell: (row) => badge(row.status) },
              { header: 'Count', cell: (row) => row.count },
            ],
            overview.tasks,
            'No tasks created in this window.',
          ),
        ),
        el(
          'section',
          { class: 'panel' },
          el('h2', {}, 'Circuit breakers'),
          dataTable([{ header: 'Dependency', cell: (row) => row.dependency }, { header: 'State', cell: (row) => badge(row.state) }], overview.breakers, 'No breakers in this process.'),
        ),
        el(
          'section',
          { class: 'panel' },
          el('h2', {}, 'Queue depth per consumer'),
          dataTable([{ header: 'Consumer', cell: (row) => row.consumer }, { header: 'Waiting', cell: (row) => row.pending }], overview.consumers, 'No consumers sampled (actors disabled?).'),
        ),
      ),
    );
  };
  await render();
  context.every(POLL_MS, render);
};

function summaryCards(overview: Overview): HTMLElement[] {
  const total = overview.deliveries.per_minute.reduce((sum, minute) => sum + minute.count, 0);
  const failed = overview.deliveries.by_type.filter((row) => row.outcome === 'failed' || row.outcome === 'dead').reduce((sum, row) => sum + row.count, 0);
  const openBreakers = overview.breakers.filter((breaker) => breaker.state !== 'closed').length;
  const waiting = overview.consumers.reduce((sum, consumer) => sum + consumer.pending, 0);
  const card = (name: string, label: string, value: string | number, href?: string, alert = false) =>
    el(
      href ? 'a' : 'div',
      { class: `card metric${alert ? ' alert' : ''}`, attrs: { 'data-metric': name, href } },
      el('span', { class: 'value' }, String(value)),
      el('span', { class: 'label' }, label),
    );
  return [
    card('deliveries', `deliveries in ${overview.minutes} min`, total, routeHash('deliveries')),
    card('failed', 'failed or dead', failed, routeHash('deliveries', undefined, { outcome: 'failed' }), failed > 0),
    card('backlog', 'messages waiting', waiting),
    card('breakers', 'breakers not closed', openBreakers, undefined, openBreakers > 0),
    card('dead-letters', 'dead letters waiting', overview.dead_letters_waiting ?? 'unknown', routeHash('dead-letters'), (overview.dead_letters_waiting ?? 0) > 0),
  ];
}

function perMinuteChart(overview: Overview): HTMLElement {
  const max = Math.max(1, ...overview.deliveries.per_minute.map((minute) => minute.count));
  const bars = overview.deliveries.per_minute.map((minute) => {
    const time = new Date(minute.minute).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    const bar = el('span', { class: 'bar' });
    // CSSOM, not a style attribute: allowed by the console's CSP.
    bar.style.height = `${(minute.count / max) * 100}%`;
    return el('li', { attrs: { title: `${time}: ${minute.count}` } }, el('span', { class: 'count' }, minute.count || ''), bar, el('span', { class: 'time' }, time));
  });
  return el('ol', { class: 'chart', attrs: { 'aria-label': 'Deliveries received per minute, oldest first' } }, ...bars);
}
