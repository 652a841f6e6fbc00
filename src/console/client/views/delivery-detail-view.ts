import { ApiError } from '../api-client.js';
import type { DeliveryDetail, DeliveryMessage, ReplayAccepted } from '../api-types.js';
import { badge, dataTable, facts } from '../data-table.js';
import { el } from '../el.js';
import { formatBytes, formatTime } from '../format.js';
import { jsonTree } from '../json-tree.js';
import { routeHash } from '../route.js';
import { runAction } from '../run-action.js';
import type { View, ViewContext } from '../view-context.js';

/** Payloads up to this size are fetched with the page; larger ones when the operator asks. */
const AUTO_PAYLOAD_BYTES = 512 * 1024;

/** One delivery: what became of it, the tasks it made, its JetStream message and payload, and Replay. */
export const deliveryDetailView: View = async (root, context) => {
  const id = context.route.id!;
  const path = `/api/v1/deliveries/${encodeURIComponent(id)}`;
  const summary = el('div', { class: 'summary' });
  const message = el('section', { class: 'panel' }, el('h2', {}, 'JetStream message'), el('p', { class: 'hint' }, 'Loading…'));
  // The outcome and the tasks move while actors work (and after a replay): refreshed every 5 s.
  // The message and payload do not change, so they are read once.
  const render = async () => {
    const delivery = await context.api.get<DeliveryDetail>(path);
    summary.replaceChildren(...deliverySummary(delivery, context, path));
  };
  await render();
  root.replaceChildren(
    el('p', { class: 'crumbs' }, el('a', { attrs: { href: routeHash('deliveries') } }, 'Deliveries'), ' / ', el('span', { class: 'mono' }, id)),
    summary,
    message,
  );
  context.every(5000, render);
  await renderMessage(message, context, path);
};

function deliverySummary(delivery: DeliveryDetail, context: ViewContext, path: string): HTMLElement[] {
  const id = delivery.delivery_id;
  const replay = el('button', { attrs: { type: 'button', 'data-action': 'replay' } }, 'Replay');
  replay.addEventListener('click', () =>
    void runAction<ReplayAccepted>(context, {
      title: 'Replay delivery',
      message: `Publish delivery ${id} (${delivery.event_type}) again for its actor? Its tasks are reused, not duplicated; failed ones run again.`,
      confirmLabel: 'Replay',
      call: () => context.api.post<ReplayAccepted>(`${path}/replay`),
      done: (answer) => `Replay queued: ${answer.stream} sequence ${answer.seq}.`,
    }),
  );
  return [
    el('div', { class: 'title-row' }, el('h1', {}, delivery.action ? `${delivery.event_type}.${delivery.action}` : delivery.event_type), badge(delivery.outcome), replay),
    facts([
      ['Delivery id', el('span', { class: 'mono' }, delivery.delivery_id)],
      ['Repository', delivery.repository],
      ['Outcome', el('span', { attrs: { 'data-field': 'outcome' } }, badge(delivery.outcome))],
      ['Error', delivery.error ? el('span', { class: 'error' }, delivery.error) : null],
      ['Received', formatTime(delivery.received_at)],
      ['Processed', formatTime(delivery.processed_at)],
      ['JetStream sequence', delivery.stream_seq],
      ['Installation', delivery.installation_id],
      ['Hook id', delivery.hook_id],
    ]),
    el(
      'section',
      { class: 'panel tasks' },
      el('h2', {}, `Tasks (${delivery.tasks.length})`),
      dataTable(
        [
          { header: 'Task', cell: (t) => el('a', { attrs: { href: routeHash('tasks', t.id) } }, t.task_type) },
          { header: 'Status', cell: (t) => badge(t.status) },
          { header: 'Reason', cell: (t) => el('span', { class: 'reason' }, t.reason ?? t.last_error ?? '—') },
          { header: 'Attempts', cell: (t) => t.attempt_count, wide: true },
        ],
        delivery.tasks,
        'This delivery made no task.',
      ),
    ),
  ];
}

async function renderMessage(section: HTMLElement, context: ViewContext, path: string): Promise<void> {
  let stored: DeliveryMessage;
  try {
    stored = await context.api.get<DeliveryMessage>(`${path}/message`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 401) throw error;
    section.replaceChildren(el('h2', {}, 'JetStream message'), el('p', { class: 'hint' }, error.message));
    return;
  }
  const payload = el('div', { class: 'payload' });
  const load = async () => {
    payload.replaceChildren(el('p', { class: 'hint' }, 'Loading payload…'));
    const text = await context.api.text(`${path}/payload`);
    payload.replaceChildren(payloadView(text));
  };
  const size = stored.payload_bytes === null ? 'size unknown' : formatBytes(stored.payload_bytes);
  section.replaceChildren(
    el('h2', {}, 'JetStream message'),
    facts([
      ['Stream', stored.stream],
      ['Sequence', stored.seq],
      ['Subject', el('span', { class: 'mono' }, stored.subject)],
      ['Stored', formatTime(stored.stored_at)],
      ['Payload', `${size}${stored.claim_check ? ' (claim check: kept in the object store)' : ''}`],
    ]),
    el('h3', {}, 'Headers'),
    dataTable(
      [
        { header: 'Header', cell: ([name]) => el('span', { class: 'mono' }, name) },
        { header: 'Value', cell: ([, values]) => el('span', { class: 'mono wrap' }, values.join(', ')) },
      ],
      Object.entries(stored.headers),
      'No headers.',
    ),
    el('h3', {}, 'Payload'),
    payload,
  );
  if (stored.payload_bytes !== null && stored.payload_bytes <= AUTO_PAYLOAD_BYTES) {
    await load();
  } else {
    const button = el('button', { class: 'secondary', attrs: { type: 'button', 'data-action': 'load-payload' } }, `Load payload (${size})`);
    button.addEventListener('click', () => void load().catch((error: unknown) => context.notify('error', `Loading the payload failed: ${String(error)}`)));
    payload.replaceChildren(button);
  }
}

/** The payload as a collapsible tree, with its pretty-printed text one click away. Text only, never markup. */
function payloadView(text: string): HTMLElement {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return el('pre', { class: 'raw' }, text);
  }
  const raw = el('details', { class: 'raw-toggle' }, el('summary', {}, 'Pretty-printed text'));
  raw.addEventListener('toggle', () => {
    if (raw.open && raw.childElementCount === 1) raw.appendChild(el('pre', { class: 'raw' }, JSON.stringify(parsed, null, 2)));
  });
  return el('div', {}, jsonTree(parsed, { openDepth: 1 }), raw);
}
