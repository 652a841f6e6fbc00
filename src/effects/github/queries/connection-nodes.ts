import { z } from 'zod';

/**
 * A GraphQL connection read through its `nodes`, as GitHub types them: the connection, the list
 * and each item may be null. Parses to the non-null items, in order.
 */
export function connectionNodes<Item extends z.ZodType>(item: Item) {
  return z
    .object({ nodes: z.array(item.nullable()).nullable() })
    .nullable()
    .transform((connection) =>
      (connection?.nodes ?? []).filter((node): node is NonNullable<typeof node> => node !== null),
    );
}
