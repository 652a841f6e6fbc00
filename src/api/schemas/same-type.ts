/** `true` when A and B are mutually assignable, `false` otherwise. */
export type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * A compile-time check that a schema's output is exactly the TypeScript type the code builds: it
 * only type-checks when `SameType<A, B>` is true, so the document cannot drift from the answers.
 */
export function assertSameType<A, B>(_same: SameType<A, B>): void {}
