/**
 * Where a message record lives, derived from its id alone: a receipt, a price, an erasure or a
 * resident's page knows nothing else about the message, and each must still reach it in one request.
 *
 * A broadcast's messages (`<broadcast id>-<digits>`, see broadcastMessageId) live in their
 * broadcast's own partitions, `BROADCAST#<id>#MESSAGES#<last digit of the number>`, sort key the
 * number's digits; every other message (replies to a text, inbox replies, `none-<digits>` skips)
 * keeps `MESSAGE#<id>` / `MESSAGE`. Why:
 * - The delivery report is a Query on the table itself, so no secondary index is written: the
 *   claim (or skip) that creates a message costs one write unit, not two (one on the table, one
 *   on an index entry), and no later write ever touched an index anyway.
 * - Ten partitions per broadcast, by the number's last digit (evenly spread over any council's
 *   residents, no hash needed): a message takes about three writes (claim, sent, a receipt or
 *   two), so a broadcast sent at 1,000 a second writes 3,000 units a second, 300 on each of ten
 *   partitions, well under the 1,000 one partition takes. One partition would have been hot from
 *   about 330 messages a second; DynamoDB's split for heat does not rescue it, because the fan-out
 *   walks every topic shard in number order, so the writes move through the numbers together.
 * - The report reads the ten partitions side by side and merges them by number (see
 *   listByBroadcast), so it still lists by number and its cursor is still the last message id.
 * - The table has no local secondary index, so an item collection is not capped at 10 GB: a
 *   million-resident broadcast (~500 MB of records) fits in its ten partitions.
 * - Erasure deletes each of a resident's message items by key, and TTL expires each on its own
 *   (`expiresAt` is on every item), as before: nothing is kept elsewhere for either to miss.
 * - The bucket count is fixed for good: changing it would strand every record written before.
 *
 * Only ids of the shape the id generator makes are taken for a broadcast's: a lowercase ULID
 * (shared/adapters/ids.ts, Crockford's base32, 26 characters), a dash, and the 1 to 15 digits of
 * an E.164 number. Reply ids (`reply-…`, `inbox-reply-…`), `none-<digits>` and anything else a
 * provider echoes back do not match, and keep their own key.
 *
 * Records written before this layout (`MESSAGE#<broadcast id>-<digits>`):
 * - are found again where it matters: the message store falls back to that key when the derived
 *   one has no record (one request more, only on a miss), for receipts, prices, reads and erasure,
 *   until TTL has removed them (see DynamoMessageStore). A stale receipt meets its record at
 *   today's key and tries no other (DynamoDB returns the record with the failed condition);
 * - are not in their broadcast's delivery report, as messages from before the report's index
 *   were not;
 * - are not looked for by a claim, which is made at the derived key alone (looking at the earlier
 *   key too would cost a read for every recipient), nor by the sender's writes that follow a
 *   claim (sent, failed, given back, a stale claim settled). So a broadcast still sending while
 *   this layout is deployed could send a resident it a second time, when an earlier version
 *   claimed them and this one meets them again (a redelivered job, a second topic): deploy it
 *   when no broadcast is sending (the README says so).
 */
const broadcastMessageIdPattern = /^([0-9a-hjkmnp-tv-z]{26})-([0-9]{1,15})$/;

/** How many partitions hold one broadcast's messages: one per last digit of the number. */
export const BROADCAST_MESSAGE_BUCKETS = 10;

export type MessageKey = {
  pk: string;
  sk: string;
};

/** The key every message had before broadcast messages moved to their broadcast's partitions. */
export function messageOwnKey(messageId: string): MessageKey {
  return { pk: `MESSAGE#${messageId}`, sk: 'MESSAGE' };
}

/** One of a broadcast's message partitions. */
export function broadcastMessagesPartition(broadcastId: string, bucket: number): string {
  return `BROADCAST#${broadcastId}#MESSAGES#${bucket}`;
}

/** The broadcast and number a broadcast message's id names; undefined for any other id. */
export function parseBroadcastMessageId(messageId: string): { broadcastId: string; digits: string } | undefined {
  const match = broadcastMessageIdPattern.exec(messageId);
  return match ? { broadcastId: match[1]!, digits: match[2]! } : undefined;
}

/** The key a message's record is stored under, from its id alone. */
export function messageKey(messageId: string): MessageKey {
  const parsed = parseBroadcastMessageId(messageId);
  if (!parsed) return messageOwnKey(messageId);
  return { pk: broadcastMessagesPartition(parsed.broadcastId, Number(parsed.digits.at(-1))), sk: parsed.digits };
}

/** The key a record of this id may have been written under before, when it differs from today's. */
export function earlierMessageKey(messageId: string): MessageKey | undefined {
  return parseBroadcastMessageId(messageId) ? messageOwnKey(messageId) : undefined;
}

/**
 * The partitions a broadcast's messages live in (each listed once), or none when its id is not
 * of the generator's shape (its messages, if any, keep their own keys and are not listed).
 */
export function broadcastMessagesPartitions(broadcastId: string): string[] {
  if (!parseBroadcastMessageId(`${broadcastId}-0`)) return [];
  return Array.from({ length: BROADCAST_MESSAGE_BUCKETS }, (_, bucket) => broadcastMessagesPartition(broadcastId, bucket));
}
