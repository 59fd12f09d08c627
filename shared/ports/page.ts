/**
 * One page of a listing; `cursor` is opaque and absent on the last page: a store gives one only
 * when an item is known to follow, so a page that holds exactly what is left has none (no "next"
 * that leads to an empty page; the DynamoDB stores ask for one item more, dynamo/query-page.ts).
 * A listing that filters after reading may still give a short or empty page with a cursor, and
 * says so. Every store that lists pages by it (each kept in its capability's folder: the inbox
 * store, the staff store, …), so in a module of its own that none of them imports another for.
 */
export interface Page<T> {
  items: T[];
  cursor: string | undefined;
}
