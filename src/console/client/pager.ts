import { el } from './el.js';

/** "1–50 of 120" with Previous/Next links that keep the other query parameters. */
export function pager(total: number, limit: number, offset: number, hrefFor: (offset: number) => string): HTMLElement {
  const last = Math.min(offset + limit, total);
  const link = (label: string, target: number, enabled: boolean) =>
    enabled ? el('a', { class: 'button secondary', attrs: { href: hrefFor(target) } }, label) : el('span', { class: 'button secondary disabled', attrs: { 'aria-disabled': 'true' } }, label);
  return el(
    'nav',
    { class: 'pager', attrs: { 'aria-label': 'Pages' } },
    el('span', {}, total === 0 ? '0 of 0' : `${offset + 1}–${last} of ${total}`),
    link('Previous', Math.max(0, offset - limit), offset > 0),
    link('Next', offset + limit, last < total),
  );
}
