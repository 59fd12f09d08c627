/**
 * The single table's key schema, shared by the CDK construct and the local stack's CreateTable.
 * Item layouts are described beside the repositories that write them (`keys.ts`).
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes items after this time (idempotency records, sandbox data). */
  ttlAttribute: 'expiresAt',
} as const;

/**
 * A broadcast's messages, for its delivery report: a sparse global secondary index over the one
 * attribute only a broadcast message's creating write sets (`byBroadcast`, the broadcast id), its
 * entries sorted by the table's own `pk` (`MESSAGE#<messageId>`, so by number), keys only.
 *
 * Why this is the cheapest listing that stays exact:
 * - KEYS_ONLY: an index entry is written when an item gains or loses its index key, never when a
 *   non-key attribute changes. So the claim or skip that creates a message adds one write unit
 *   (the entry is ~100 bytes); markSent, markFailed and every receipt write nothing to it.
 *   Projecting the report's columns instead would save the report's BatchGet but cost a write
 *   unit on the index for every status change (two or three per recipient), and reports are rare.
 * - Sparse: replies, inbox entries and every other item never carry `byBroadcast`, so they cost
 *   the index nothing, and the index holds broadcast messages alone.
 * - Erasure and retention hold by construction: erasure deletes a resident's message items and
 *   TTL expires them; DynamoDB removes the index entry with the item, so a report never lists a
 *   row whose message is gone, and the index keeps no copy of anything after the table lets go.
 * - Its sort key is the table's `pk` rather than an attribute of its own: the same value (the
 *   message id) without a byte more on every message.
 * - One index partition per broadcast takes one write per recipient at the broadcast's send
 *   rate: the providers' rates (10 to 1,000 a second per sender) stay under what one partition
 *   takes (1,000 writes a second), and DynamoDB splits a hot partition by sort key beyond that.
 *
 * The alternative of a recipient list kept per fan-out page (a few hundredths of a write unit
 * per recipient) was set aside: erasure would have to find and rewrite every list holding the
 * number, reading them whole, and a resident in two topics would be listed twice.
 */
export const byBroadcastIndex = {
  name: 'byBroadcast',
  partitionKey: 'byBroadcast',
  sortKey: tableDefinition.partitionKey,
  projection: 'KEYS_ONLY',
} as const;

/** Every global secondary index of the table: the CDK construct and the local stack create each. */
export const tableIndexes = [byBroadcastIndex] as const;
export type TableIndexName = (typeof tableIndexes)[number]['name'];
