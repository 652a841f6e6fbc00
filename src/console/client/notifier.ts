import { el } from './el.js';

export type Notify = (kind: 'success' | 'error', message: string) => void;

/**
 * The result of every action, shown in a polite live region at the top of the page (screen
 * readers announce it) until the next one or until dismissed.
 */
export function createNotifier(region: HTMLElement): Notify {
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
  return (kind, message) => {
    const dismiss = el('button', { class: 'link', attrs: { type: 'button', 'aria-label': 'Dismiss' } }, '×');
    const note = el('div', { class: `notice ${kind}`, attrs: { 'data-kind': kind } }, el('span', {}, message), dismiss);
    dismiss.addEventListener('click', () => note.remove());
    region.replaceChildren(note);
  };
}
