/** A child of {@link el}: text (always inserted as text), a node, or nothing. */
export type Child = Node | string | number | null | undefined | false;

export interface ElementProps {
  class?: string;
  /** Attributes, set with setAttribute (never `on…` handlers: use `on`). */
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

/**
 * Builds an element. Strings become text nodes, so data from the API (payloads, errors, names)
 * is always shown as text and never parsed as markup: the console has no innerHTML anywhere.
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (name.toLowerCase().startsWith('on')) throw new TypeError(`use props.on for ${name}`);
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [type, handler] of Object.entries(props.on ?? {})) node.addEventListener(type, handler as EventListener);
  append(node, ...children);
  return node;
}

/** Appends children as {@link el} does (text as text). */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** An http(s) link opening in a new tab, or the text alone when the URL is anything else. */
export function externalLink(url: string | null, text: string): Node {
  if (url === null || !/^https?:\/\//i.test(url)) return document.createTextNode(text);
  return el('a', { attrs: { href: url, target: '_blank', rel: 'noopener noreferrer' } }, text);
}
