import type { BroadcastCounts, SkipReason } from '../domain/model.js';

/**
 * The counts staff are shown of a broadcast (the API, and through it the CLI's progress bar),
 * derived from the raw counters so that they never contradict each other:
 * `delivered + undelivered ≤ sent`, and `sent + failed + skipped ≤ targeted`.
 *
 * The raw counters move at different speeds, each one a count that may lag but never runs over:
 * - `sent`, `failed`, `skipped` are added by the sender once per batch of a send job, after the
 *   batch (and a crash can leave them short until the broadcast settles from its jobs' totals);
 * - `delivered` and `undelivered` are added by each receipt the moment it arrives, and a receipt
 *   proves the provider accepted the message, so while a batch is still sending its receipts run
 *   ahead of its `sent` ("sent 11 · delivered 21");
 * - `targeted` is added by the fan-out after it has queued a page's send jobs, so a fast sender
 *   can count recipients a moment before they are targeted.
 *
 * So what is shown takes the larger of two lower bounds for each: a message with a receipt was
 * sent, and a recipient the sender is done with was targeted. Once the fan-out is done,
 * `targeted` is exact and nothing shown goes above it: a receipt for a message the sender counted
 * as failed (its provider call timed out, yet the message went) is not counted as sent too. The
 * raw counters stay as they are stored: completion and settlement use those (see
 * broadcast-progress.ts), never these.
 */
export function shownCounts(raw: BroadcastCounts, fanOutDone: boolean): BroadcastCounts {
  const accepted = Math.max(raw.sent, raw.delivered + raw.undelivered);
  const targeted = fanOutDone ? raw.targeted : Math.max(raw.targeted, accepted + raw.failed + raw.skipped);
  const failed = Math.min(raw.failed, targeted);
  const skipped = Math.min(raw.skipped, targeted - failed);
  const sent = Math.min(accepted, targeted - failed - skipped);
  const delivered = Math.min(raw.delivered, sent);
  const undelivered = Math.min(raw.undelivered, sent - delivered);
  return {
    targeted,
    sent,
    delivered,
    undelivered,
    failed,
    skipped,
    ...(raw.skippedBy ? { skippedBy: reasonsWithin(raw.skippedBy, skipped) } : {}),
  };
}

/** The skips by reason, each cut so that together they are no more than `skipped`. */
function reasonsWithin(skippedBy: Partial<Record<SkipReason, number>>, skipped: number): Partial<Record<SkipReason, number>> {
  let left = skipped;
  const within: Partial<Record<SkipReason, number>> = {};
  for (const [reason, count] of Object.entries(skippedBy) as [SkipReason, number | undefined][]) {
    const kept = Math.min(count ?? 0, left);
    if (kept > 0) within[reason] = kept;
    left -= kept;
  }
  return within;
}
