/**
 * One page of a listing; `cursor` is opaque and absent on the last page. Every store that lists
 * pages by it (each kept in its capability's folder: the inbox store, the staff store, …), so in a
 * module of its own that none of them imports another for.
 */
export interface Page<T> {
  items: T[];
  cursor: string | undefined;
}
