/**
 * A list of every member of the string union `T`, checked at compile time: it compiles only when
 * the list names each member (and nothing else). The filters' choices are written out here, since
 * the server's constants cannot be bundled, and this keeps them equal to the API's enums.
 */
export function everyMember<T extends string>() {
  return <const L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : never)): L => list;
}
