import { el } from './el.js';
import { isoToLocalInput, localInputToIso } from './format.js';

export type FilterField =
  | { name: string; label: string; kind: 'text'; placeholder?: string }
  | { name: string; label: string; kind: 'select'; options: readonly string[] }
  | { name: string; label: string; kind: 'time' };

/**
 * The filters of a list, filled from the route's query; submitting navigates to the same view
 * with the new query (so filtered lists can be bookmarked and Back works). Times are entered in
 * local time and sent as ISO-8601 UTC.
 */
export function filterForm(fields: readonly FilterField[], query: URLSearchParams, apply: (query: URLSearchParams) => void): HTMLFormElement {
  const inputs = fields.map((field) => {
    const id = `filter-${field.name}`;
    const value = query.get(field.name) ?? '';
    const control =
      field.kind === 'select'
        ? el('select', { attrs: { id, name: field.name } }, el('option', { attrs: { value: '' } }, 'any'), ...field.options.map((option) => el('option', { attrs: { value: option, selected: option === value } }, option)))
        : el('input', {
            attrs: {
              id,
              name: field.name,
              type: field.kind === 'time' ? 'datetime-local' : 'text',
              step: field.kind === 'time' ? 1 : undefined,
              placeholder: field.kind === 'text' ? field.placeholder : undefined,
              value: field.kind === 'time' ? isoToLocalInput(value) : value,
            },
          });
    return { field, control, wrapper: el('div', { class: 'field' }, el('label', { attrs: { for: id } }, field.label), control) };
  });
  const form = el(
    'form',
    { class: 'filters', attrs: { role: 'search' } },
    ...inputs.map((input) => input.wrapper),
    el('div', { class: 'field buttons' }, el('button', { attrs: { type: 'submit' } }, 'Filter'), el('button', { class: 'secondary', attrs: { type: 'reset' } }, 'Clear')),
  );
  const read = () => {
    const next = new URLSearchParams();
    for (const { field, control } of inputs) {
      const raw = control.value.trim();
      const value = field.kind === 'time' ? localInputToIso(raw) : raw;
      if (value) next.set(field.name, value);
    }
    return next;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply(read());
  });
  form.addEventListener('reset', (event) => {
    event.preventDefault();
    apply(new URLSearchParams());
  });
  return form;
}
