import type { EntitySchema, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page, PageOf } from './page.js';

/**
 * One page of the rows matching `filters` — each filter given narrows the list, an undefined one
 * is left out — newest first: by `order[0]` descending, ties broken by `order[1]` so pages never
 * overlap. With the number of matching rows, all pages together. Rows are read fresh, never from
 * the identity map.
 */
export async function findPage<T extends object>(
  em: EntityManager,
  schema: EntitySchema<T>,
  filters: { [K in keyof T]?: unknown },
  order: readonly [keyof T & string, keyof T & string],
  page: Page,
): Promise<PageOf<T>> {
  const where = Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) as FilterQuery<T>;
  const [rows, total] = await em.findAndCount(schema, where, {
    orderBy: order.map((key) => ({ [key]: 'desc' }) as QueryOrderMap<T>),
    limit: page.limit,
    offset: page.offset,
    refresh: true,
  });
  return { rows, total };
}

/** A filter on a time column: from (inclusive) until (exclusive), or undefined when neither is given. */
export function timeRange(from: Date | undefined, until: Date | undefined): { $gte?: Date; $lt?: Date } | undefined {
  if (from === undefined && until === undefined) return undefined;
  return { ...(from !== undefined ? { $gte: from } : {}), ...(until !== undefined ? { $lt: until } : {}) };
}
