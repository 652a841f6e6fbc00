import { el } from './el.js';

/**
 * A JSON value as a collapsible tree: objects and arrays are <details> whose children are built
 * the first time they are opened, so a 25 MiB payload costs nothing until someone looks inside.
 * Every key and value is inserted as text.
 */
export function jsonTree(value: unknown, options: { openDepth?: number } = {}): HTMLElement {
  return el('div', { class: 'json-tree' }, node(undefined, value, 0, options.openDepth ?? 1));
}

function node(key: string | undefined, value: unknown, depth: number, openDepth: number): HTMLElement {
  const label = key === undefined ? null : el('span', { class: 'json-key' }, `${key}: `);
  if (value === null || typeof value !== 'object') {
    return el('div', { class: 'json-leaf' }, label, el('span', { class: `json-${value === null ? 'null' : typeof value}` }, JSON.stringify(value)));
  }
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  const details = el('details', {}, el('summary', {}, label, el('span', { class: 'json-count' }, summary)));
  let built = false;
  const build = () => {
    if (built) return;
    built = true;
    const children = el('div', { class: 'json-children' });
    for (const [childKey, child] of entries) children.appendChild(node(childKey, child, depth + 1, openDepth));
    details.appendChild(children);
  };
  details.addEventListener('toggle', () => {
    if (details.open) build();
  });
  if (depth < openDepth) {
    details.open = true;
    build();
  }
  return details;
}
