import { el } from './el.js';

export interface ConfirmOptions {
  title: string;
  /** What will happen, in a sentence or two. */
  message: string;
  confirmLabel: string;
}

/**
 * Asks before an action, in a modal dialog (keyboard: Tab between the buttons, Enter confirms
 * the focused one, Escape cancels). Cancel has the focus first, so a stray Enter does nothing.
 */
export function confirmAction(options: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const cancel = el('button', { attrs: { type: 'button', value: 'cancel' }, class: 'secondary' }, 'Cancel');
    const confirm = el('button', { attrs: { type: 'button', value: 'confirm' } }, options.confirmLabel);
    const dialog = el(
      'dialog',
      { class: 'confirm', attrs: { 'aria-labelledby': 'confirm-title' } },
      el('h2', { attrs: { id: 'confirm-title' } }, options.title),
      el('p', {}, options.message),
      el('div', { class: 'actions' }, cancel, confirm),
    );
    const close = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancel.addEventListener('click', () => close(false));
    confirm.addEventListener('click', () => close(true));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(false);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
