/** Where the console is: `#/<view>[/<id>][?query]`. */
export interface Route {
  view: string;
  id: string | undefined;
  query: URLSearchParams;
}

/** Reads the route from the location hash; the overview when there is none. */
export function currentRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = hash.split('?', 2);
  const [view = '', id] = path.split('/').map(decodeURIComponent);
  return { view: view || 'overview', id: id || undefined, query: new URLSearchParams(search) };
}

/** The hash of a route, for links and navigation. */
export function routeHash(view: string, id?: string, query?: URLSearchParams | Record<string, string | undefined>): string {
  const params = query instanceof URLSearchParams ? query : new URLSearchParams(Object.entries(query ?? {}).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  const search = params.toString();
  return `#/${view}${id === undefined ? '' : `/${encodeURIComponent(id)}`}${search ? `?${search}` : ''}`;
}
