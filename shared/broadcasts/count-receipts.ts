import { logger } from '../runtime/logger.js';
import type { BroadcastStore } from './broadcast-store.js';
import { tallyByBroadcast, uncounted, type MessageChange } from './receipt-counts.js';

/** Another run moved a shard's position between our read and our write: read it again. */
const ATTEMPTS = 3;

export interface ReceiptCountsOutcome {
  /** Receipts added to counters by this run. */
  counted: number;
  /** Receipts this run found already counted (a batch the stream handed out again). */
  alreadyCounted: number;
}

/**
 * Counts a batch of the table's changes into their broadcasts' receipt counters: per broadcast and
 * stream shard, one read of where counting got to and one conditional write that adds what lies
 * past it and moves it on. So a broadcast's receipts cost a write per batch, not a write each,
 * and a batch handed out again counts nothing twice.
 */
export async function countReceipts(
  broadcasts: Pick<BroadcastStore, 'receiptsCountedUpTo' | 'addReceiptCounts'>,
  changes: readonly MessageChange[],
): Promise<ReceiptCountsOutcome> {
  const outcome: ReceiptCountsOutcome = { counted: 0, alreadyCounted: 0 };
  for (const tally of tallyByBroadcast(changes)) {
    for (let attempt = 1; ; attempt += 1) {
      const from = await broadcasts.receiptsCountedUpTo(tally.broadcastId, tally.shard);
      const next = uncounted(tally, from);
      if (!next) {
        outcome.alreadyCounted += tally.changes.length;
        break;
      }
      const added = await broadcasts.addReceiptCounts(tally.broadcastId, tally.shard, from, next.upTo, next.delta);
      if (added === undefined) {
        logger.warn('receipts for a broadcast without counters: applied to the messages, not counted', { broadcastId: tally.broadcastId });
        break;
      }
      if (added) {
        const counted = (next.delta.delivered ?? 0) + (next.delta.undelivered ?? 0);
        outcome.counted += counted;
        outcome.alreadyCounted += tally.changes.length - counted;
        break;
      }
      if (attempt >= ATTEMPTS) throw new Error(`receipt counters of broadcast ${tally.broadcastId} kept moving under this run (shard ${tally.shard})`);
    }
  }
  return outcome;
}
