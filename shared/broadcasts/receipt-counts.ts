import type { MessageStatus } from '../domain/model.js';
import { statusRank } from '../domain/status-precedence.js';

/**
 * What the receipt counters need of a message as the table's change stream shows it, before and
 * after one write: its broadcast, its status, and how many receipts it has taken.
 */
export interface MessageImage {
  broadcastId?: string;
  status: MessageStatus;
  receipts: number;
  /** The newest receipt entry says the stream counts it (not a receipt from code that counted it itself). */
  lastReceiptCountedOnStream: boolean;
}

/** One write to a message, at its place in one shard of the table's change stream. */
export interface MessageChange {
  shard: string;
  /** The stream's sequence number: digits, growing within a shard. */
  sequence: string;
  before: MessageImage | undefined;
  after: MessageImage | undefined;
}

export interface ReceiptDelta {
  delivered?: number;
  undelivered?: number;
}

/** The receipts one broadcast took in one shard, in stream order, ready to count once. */
export interface ShardTally {
  broadcastId: string;
  shard: string;
  changes: { sequence: string; delta: ReceiptDelta }[];
}

/**
 * What one write adds to its broadcast's receipt counters: a receipt (the write that added an
 * entry to the message's receipts) that took a message not yet final to delivered, read,
 * undelivered or failed. The same rule the receipt once applied itself, read off the stream:
 * the sender's own "failed" (no receipt) is counted by the sender, and a second final receipt
 * (read after delivered) adds nothing.
 */
export function receiptDelta(change: Pick<MessageChange, 'before' | 'after'>): ReceiptDelta | undefined {
  const { before, after } = change;
  if (!after?.broadcastId) return undefined;
  if (after.receipts <= (before?.receipts ?? 0) || !after.lastReceiptCountedOnStream) return undefined;
  if (before && statusRank[before.status] >= statusRank.delivered) return undefined;
  if (after.status === 'delivered' || after.status === 'read') return { delivered: 1 };
  if (after.status === 'undelivered' || after.status === 'failed') return { undelivered: 1 };
  return undefined;
}

/** The changes that count, grouped by broadcast and shard, each group in stream order. */
export function tallyByBroadcast(changes: readonly MessageChange[]): ShardTally[] {
  const tallies = new Map<string, ShardTally>();
  for (const change of changes) {
    const delta = receiptDelta(change);
    const broadcastId = change.after?.broadcastId;
    if (!delta || !broadcastId) continue;
    const key = `${broadcastId}\u0000${change.shard}`;
    const tally = tallies.get(key) ?? { broadcastId, shard: change.shard, changes: [] };
    tally.changes.push({ sequence: change.sequence, delta });
    tallies.set(key, tally);
  }
  for (const tally of tallies.values()) tally.changes.sort((a, b) => compareSequences(a.sequence, b.sequence));
  return [...tallies.values()];
}

/**
 * The part of a tally past `countedUpTo` (the last sequence already counted from this shard), and
 * where counting it leaves the shard's position. A record the stream hands out again (a retried
 * batch, in any order) is at or before the position, so it is never counted twice; a record is
 * first handed out in order, so none is ever skipped.
 */
export function uncounted(
  tally: ShardTally,
  countedUpTo: string | undefined,
): { delta: ReceiptDelta; upTo: string } | undefined {
  const fresh = tally.changes.filter((change) => countedUpTo === undefined || compareSequences(change.sequence, countedUpTo) > 0);
  const last = fresh.at(-1);
  if (!last) return undefined;
  const delta: ReceiptDelta = {};
  for (const { delta: one } of fresh) {
    if (one.delivered) delta.delivered = (delta.delivered ?? 0) + one.delivered;
    if (one.undelivered) delta.undelivered = (delta.undelivered ?? 0) + one.undelivered;
  }
  return { delta, upTo: last.sequence };
}

/** Sequence numbers are decimal strings up to 40 digits: compared as numbers, not as text. */
export function compareSequences(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}
