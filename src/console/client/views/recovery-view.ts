import type { RecoveryRunList, RecoveryStarted } from '../api-types.js';
import { badge, dataTable } from '../data-table.js';
import { el } from '../el.js';
import { formatTime, localInputToIso } from '../format.js';
import { pager } from '../pager.js';
import { routeHash } from '../route.js';
import { runAction } from '../run-action.js';
import type { View } from '../view-context.js';

type RecoveryRun = RecoveryRunList['recoveries'][number];
type RecoveryRequest = RecoveryRun['requests'][number];
const PAGE = 50;
const REFRESH_MS = 5000;

/**
 * Missed-delivery recovery runs, newest first, each with the redeliveries it asked GitHub for,
 * refreshed every 5 s; and "Start a recovery run" with an optional `since` bound.
 */
export const recoveryView: View = async (root, context) => {
  const offset = Number(context.route.query.get('offset') ?? 0) || 0;
  const since = el('input', { attrs: { id: 'recovery-since', name: 'since', type: 'datetime-local', step: 1 } });
  const start = el('button', { attrs: { type: 'submit', 'data-action': 'start-recovery' } }, 'Start a recovery run');
  const form = el(
    'form',
    { class: 'filters', attrs: { 'aria-label': 'Start a recovery run' } },
    el(
      'div',
      { class: 'field' },
      el('label', { attrs: { for: 'recovery-since' } }, 'Since (optional; default: from the checkpoint, at most 3 days back)'),
      since,
    ),
    el('div', { class: 'field buttons' }, start),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const bound = localInputToIso(since.value.trim());
    void runAction(context, {
      title: 'Start recovery run',
      message: `Ask GitHub for the webhook deliveries made ${bound ? `since ${formatTime(bound)}` : 'since the last checkpoint (at most 3 days back)'} and request a redelivery of each event whose latest attempt failed and that the service never accepted?`,
      confirmLabel: 'Start',
      call: () => context.api.post<RecoveryStarted>(`/api/v1/recoveries${bound ? `?since=${encodeURIComponent(bound)}` : ''}`),
      done: ({ run }) => `Recovery run ${run.id} started, looking at deliveries since ${formatTime(run.since)}.`,
    });
  });

  const request = (r: RecoveryRequest) =>
    el(
      'li',
      { attrs: { 'data-guid': r.guid } },
      badge(r.outcome),
      ' ',
      el('span', { class: 'mono' }, r.guid),
      el('div', { class: 'hint' }, `${r.action ? `${r.event}.${r.action}` : r.event} · failed with ${r.failed_status_code === 0 ? 'no connection' : `HTTP ${r.failed_status_code}`} · ${r.hook} #${r.hook_delivery_id} · asked ${formatTime(r.requested_at)}`),
      r.error ? el('div', { class: 'error reason' }, r.error) : null,
    );
  // Which runs' redeliveries are unfolded, kept across the refreshes.
  const open = new Set<string>();
  const requests = (run: RecoveryRun) => {
    if (run.requests.length === 0) return el('span', { class: 'hint' }, 'none');
    const details = el(
      'details',
      { class: 'requests', attrs: { open: open.has(run.id), 'data-run': run.id } },
      el('summary', {}, `${run.requests.length} redelivery request${run.requests.length === 1 ? '' : 's'}`),
      el('ul', { class: 'requests-list' }, ...run.requests.map(request)),
    );
    details.addEventListener('toggle', () => (details.open ? open.add(run.id) : open.delete(run.id)));
    return details;
  };
  const status = (run: RecoveryRun) =>
    el(
      'div',
      { class: 'origin' },
      badge(run.status),
      run.resume_at ? el('span', { class: 'hint' }, `resumes ${formatTime(run.resume_at)}`) : null,
      run.error ? el('span', { class: 'error reason' }, run.error) : null,
    );
  const counts = (run: RecoveryRun) =>
    el(
      'div',
      { class: 'origin counts' },
      `${run.scanned} attempts scanned`,
      el('span', {}, `${run.failed} failed, ${run.already_accepted} accepted after all`),
      el('span', {}, `${run.requested} redeliveries requested`),
    );

  const results = el('div', { class: 'results' });
  const title = el('h1', {}, 'Recovery');
  root.replaceChildren(el('div', { class: 'title-row' }, title), form, results);
  const render = async () => {
    const page = await context.api.get<RecoveryRunList>(`/api/v1/recoveries?limit=${PAGE}&offset=${offset}`);
    title.textContent = `Recovery runs (${page.total})`;
    results.replaceChildren(
      dataTable<RecoveryRun>(
        [
          { header: 'Started', cell: (run) => el('span', { attrs: { title: run.id } }, formatTime(run.started_at)) },
          { header: 'Status', cell: status },
          { header: 'Trigger', cell: (run) => run.trigger },
          { header: 'Since', cell: (run) => formatTime(run.since), wide: true },
          { header: 'Finished', cell: (run) => formatTime(run.finished_at), wide: true },
          { header: 'Counts', cell: counts },
          { header: 'Redeliveries', cell: requests },
        ],
        page.recoveries,
        'No recovery runs yet: the scheduled job has not run, or recovery is not configured (it needs GitHub App credentials, or RECOVERY_HOOKS with a token, and RECOVERY_ENABLED not false).',
      ),
      pager(page.total, page.limit, page.offset, (next) => routeHash('recovery', undefined, { offset: String(next) })),
    );
  };
  await render();
  context.every(REFRESH_MS, render);
};
