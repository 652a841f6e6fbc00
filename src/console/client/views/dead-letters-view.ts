import { ApiError } from '../api-client.js';
import type { DeadLetterList, RedriveAccepted } from '../api-types.js';
import { dataTable } from '../data-table.js';
import { el } from '../el.js';
import { formatTime } from '../format.js';
import { pager } from '../pager.js';
import { routeHash } from '../route.js';
import { runAction } from '../run-action.js';
import type { View } from '../view-context.js';

type DeadLetter = DeadLetterList['dead_letters'][number];
const PAGE = 100;

/** Dead letters with their reason and origin; Redrive one, or every selected one. */
export const deadLettersView: View = async (root, context) => {
  const offset = Number(context.route.query.get('offset') ?? 0) || 0;
  const page = await context.api.get<DeadLetterList>(`/api/v1/dead-letters?limit=${PAGE}&offset=${offset}`);
  const selected = new Set<string>();
  const redriveSelected = el('button', { attrs: { type: 'button', 'data-action': 'redrive-selected', disabled: true } }, 'Redrive selected');
  const updateSelection = () => {
    redriveSelected.disabled = selected.size === 0;
    redriveSelected.textContent = selected.size === 0 ? 'Redrive selected' : `Redrive selected (${selected.size})`;
  };
  const redrive = (ids: readonly string[]) =>
    runAction(context, {
      title: ids.length === 1 ? 'Redrive dead letter' : 'Redrive dead letters',
      message:
        ids.length === 1
          ? `Publish dead letter ${ids[0]} again on its original subject and remove it from the DLQ? A dead task is retried first.`
          : `Publish these ${ids.length} dead letters again on their original subjects and remove them from the DLQ?`,
      confirmLabel: 'Redrive',
      call: async () => {
        const failures: string[] = [];
        let done = 0;
        // One at a time: each redrive is its own audited API call, and a failure stops nothing else.
        for (const id of ids) {
          try {
            await context.api.post<RedriveAccepted>(`/api/v1/dead-letters/${encodeURIComponent(id)}/redrive`);
            done += 1;
          } catch (error) {
            failures.push(`${id}: ${error instanceof ApiError ? error.message : String(error)}`);
          }
        }
        if (failures.length > 0 && done === 0) throw new Error(failures.join('; '));
        return { done, failures };
      },
      done: ({ done, failures }) =>
        `Redriven ${done} of ${ids.length} dead letter${ids.length === 1 ? '' : 's'}.${failures.length ? ` Failed: ${failures.join('; ')}` : ''}`,
    });
  redriveSelected.addEventListener('click', () => void redrive([...selected]));

  const selectAll = el('input', { attrs: { type: 'checkbox', 'aria-label': 'Select every dead letter on this page' } });
  const boxes: HTMLInputElement[] = [];
  selectAll.addEventListener('change', () => {
    for (const box of boxes) {
      box.checked = selectAll.checked;
      box.dispatchEvent(new Event('change'));
    }
  });
  const checkbox = (letter: DeadLetter) => {
    const box = el('input', { attrs: { type: 'checkbox', 'aria-label': `Select dead letter ${letter.id}`, 'data-id': letter.id } });
    box.addEventListener('change', () => {
      if (box.checked) selected.add(letter.id);
      else selected.delete(letter.id);
      updateSelection();
    });
    boxes.push(box);
    return box;
  };
  const rowButton = (letter: DeadLetter) => {
    const button = el('button', { class: 'secondary', attrs: { type: 'button', 'data-action': 'redrive', 'data-id': letter.id } }, 'Redrive');
    button.addEventListener('click', () => void redrive([letter.id]));
    return button;
  };
  const origin = (letter: DeadLetter) =>
    el(
      'div',
      { class: 'origin' },
      el('span', { class: 'mono' }, letter.subject),
      el('span', { class: 'hint' }, `${letter.stream} / ${letter.consumer}`),
      letter.delivery_id ? el('a', { class: 'mono', attrs: { href: routeHash('deliveries', letter.delivery_id) } }, `delivery ${letter.delivery_id}`) : null,
      letter.task_id ? el('a', { class: 'mono', attrs: { href: routeHash('tasks', letter.task_id) } }, `task ${letter.task_id}`) : null,
    );
  root.replaceChildren(
    el('div', { class: 'title-row' }, el('h1', {}, `Dead letters (${page.total})`), page.dead_letters.length > 0 ? selectAllLabel(selectAll) : null, redriveSelected),
    dataTable<DeadLetter>(
      [
        { header: '', cell: checkbox },
        { header: 'Id', cell: (letter) => letter.id },
        { header: 'Reason', cell: (letter) => el('span', { class: 'error' }, letter.reason || '—') },
        { header: 'Origin', cell: origin },
        { header: 'Failed', cell: (letter) => formatTime(letter.failed_at), wide: true },
        { header: '', cell: rowButton },
      ],
      page.dead_letters,
      'No dead letters: every message was handled.',
    ),
    pager(page.total, page.limit, page.offset, (next) => routeHash('dead-letters', undefined, { offset: String(next) })),
  );
};

function selectAllLabel(box: HTMLInputElement): HTMLElement {
  return el('label', { class: 'select-all' }, box, ' Select all');
}
