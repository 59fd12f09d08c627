import { createRequire } from 'node:module';

/*
 * The local table's changes, for the local change stream (table-stream.ts): dynalite has no streams.
 */

export type ItemImage = Record<string, unknown>;
/** One change to one item: as it was (undefined: new) and as it is now (undefined: deleted). */
export type TableChangeListener = (tableName: string, before: ItemImage | undefined, after: ItemImage | undefined) => void;

interface DynaliteDb {
  updateIndexes: (store: unknown, table: { TableName: string }, before: ItemImage | null | undefined, after: ItemImage | null | undefined, done: (error?: unknown) => void) => void;
}

const listeners = new Set<TableChangeListener>();
let hooked = false;

/**
 * Every PutItem, UpdateItem and DeleteItem dynalite runs passes the item as it was and as it will
 * be to one internal function (`updateIndexes`, under the item's lock, just before the write is
 * stored), so wrapping that function sees each change once, in the order the item took them: the
 * same view DynamoDB Streams gives. BatchWriteItem does not pass through it; crier never
 * batch-writes an item a stream consumer reads. Only a dynalite running in this thread is seen.
 */
function hookDynalite(): void {
  if (hooked) return;
  hooked = true;
  const db = createRequire(import.meta.url)('dynalite/db') as DynaliteDb;
  const updateIndexes = db.updateIndexes;
  db.updateIndexes = (store, table, before, after, done) =>
    updateIndexes(store, table, before, after, (error) => {
      if (!error) announceTableChange(table.TableName, before ?? undefined, after ?? undefined);
      done(error);
    });
}

/** Hears every change dynalite makes in this thread, and those announced from the emulators' thread; returns how to stop. */
export function listenToTableChanges(listener: TableChangeListener): () => void {
  hookDynalite();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Hands a change to this thread's listeners: one dynalite made here, or one posted from the emulators' thread. */
export function announceTableChange(tableName: string, before: ItemImage | undefined, after: ItemImage | undefined): void {
  for (const listener of listeners) listener(tableName, before, after);
}
