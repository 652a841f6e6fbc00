import { dataTable, type Column } from './data-table.js';
import { el } from './el.js';
import { filterForm, type FilterField } from './filter-form.js';
import { pager } from './pager.js';
import { routeHash } from './route.js';
import type { View } from './view-context.js';

/** One page of a management API list. */
export interface ListPage {
  total: number;
  limit: number;
  offset: number;
}

export interface ListViewOptions<T, P extends ListPage> {
  /** The view's route, e.g. `deliveries`; filters and the page offset live in its query. */
  route: string;
  title: string;
  filters: readonly FilterField[];
  /** The API list path, e.g. `/api/v1/deliveries`; the route's query is passed on as is. */
  endpoint: string;
  rows(page: P): readonly T[];
  columns: ReadonlyArray<Column<T>>;
  empty: string;
}

const PAGE_SIZE = 50;
const REFRESH_MS = 5000;

/**
 * A filtered, paged list of the management API, newest first, refreshed every 5 s. The filters
 * are the route's query, which the API validates (a bad value shows the API's message).
 */
export function listView<T, P extends ListPage>(options: ListViewOptions<T, P>): View {
  return async (root, context) => {
    const { query } = context.route;
    const form = filterForm(options.filters, query, (next) => {
      location.hash = routeHash(options.route, undefined, next);
    });
    const results = el('div', { class: 'results' });
    root.replaceChildren(el('h1', {}, options.title), form, results);
    const render = async () => {
      const params = new URLSearchParams(query);
      params.set('limit', String(PAGE_SIZE));
      params.set('offset', String(Number(query.get('offset') ?? 0) || 0));
      const page = await context.api.get<P>(`${options.endpoint}?${params}`);
      results.replaceChildren(
        dataTable(options.columns, options.rows(page), options.empty),
        pager(page.total, page.limit, page.offset, (offset) => {
          const target = new URLSearchParams(query);
          target.set('offset', String(offset));
          return routeHash(options.route, undefined, target);
        }),
      );
    };
    await render();
    context.every(REFRESH_MS, render);
  };
}
