import type { Dictionary, EntitySchema } from '@mikro-orm/core';

type ColumnKind = 'json' | 'bigint' | 'datetime' | 'plain';

/**
 * A reader of raw rows (`returning *`, `select *`) for an entity schema: each property from its
 * column (the ORM's underscore naming), JSON parsed, bigints as numbers, timestamps as Dates,
 * absent as null — what `em.map` gives, without registering each row in the identity map.
 */
export function rowReader<Entity extends object>(schema: EntitySchema<Entity>): (row: Dictionary) => Entity {
  const columns = Object.entries(schema.meta.properties).map(([property, definition]) => {
    const type = (definition as { type?: unknown }).type;
    const kind: ColumnKind =
      type === 'json'
        ? 'json'
        : type === 'datetime'
          ? 'datetime'
          : typeof type === 'object' && type !== null && type.constructor.name === 'BigIntType'
            ? 'bigint'
            : 'plain';
    return { property, column: property.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), kind };
  });
  return (row) => {
    const entity: Record<string, unknown> = {};
    for (const { property, column, kind } of columns) {
      const value = row[column];
      entity[property] =
        value === null || value === undefined
          ? null
          : kind === 'json'
            ? typeof value === 'string' ? JSON.parse(value) : value
            : kind === 'bigint'
              ? Number(value)
              : kind === 'datetime'
                ? value instanceof Date ? value : new Date(value as string)
                : value;
    }
    return entity as Entity;
  };
}
