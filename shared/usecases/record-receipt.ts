import type { StatusReport } from '../domain/inbound.js';
import { statusRank, supersedes } from '../domain/status-precedence.js';
import type { CountsDelta } from '../ports/stores.js';
import { metricsOf } from '../platform/metrics.js';
import { logger } from '../runtime/logger.js';
import type { CoreDependencies } from './dependencies.js';

export type ReceiptOutcome = 'applied' | 'stale' | 'unknown-message';

/**
 * A delivery receipt: applied to the message only if it moves it forward (status precedence), and
 * counted on the broadcast only on the transition, so retried or reordered receipts count once.
 * The count is one ADD on the broadcast's small COUNTS item (one write unit); delivered and
 * undelivered never finish a broadcast, so the broadcast itself is neither read nor written.
 */
export async function recordReceipt(deps: CoreDependencies, report: StatusReport): Promise<ReceiptOutcome> {
  const outcome = await applyReceipt(deps, report);
  metricsOf(deps).record('ReceiptsRecorded', { provider: report.provider, status: report.status, outcome });
  return outcome;
}

async function applyReceipt(deps: CoreDependencies, report: StatusReport): Promise<ReceiptOutcome> {
  if (!report.messageId) {
    logger.warn('receipt without a crier message id', { providerMessageId: report.providerMessageId });
    return 'unknown-message';
  }
  // Kept on the message whatever the receipt's order: a price does not depend on the status. Not
  // added to the broadcast's sum (estimates, in the price table's currency; AWS reports dollars),
  // and no receipt-time write touches the busy broadcast item for it.
  if (report.price) await deps.stores.messages.recordProviderPrice(report.messageId, report.price);
  // Twilio calls back "sent" for every message (and "queued" through a Messaging Service), after
  // the sender's markSent has already recorded it: such a receipt moves a message on only when
  // the sender died between the provider's answer and markSent. A look first (half a read unit)
  // instead of a write that fails its condition (a write unit) and a read to tell why.
  if (statusRank[report.status] <= statusRank.sent) {
    const stored = await deps.stores.messages.statusOf(report.messageId);
    if (stored === undefined) return 'unknown-message';
    // A skipped resident was never sent anything: nothing a receipt says moves that on.
    if (stored === 'skipped' || !supersedes(report.status, stored)) return 'stale';
  }
  const applied = await deps.stores.messages.applyReceipt(
    report.messageId,
    report.status,
    report.errorCode,
    deps.clock.now().toISOString(),
  );
  if (applied === undefined) {
    const exists = await deps.stores.messages.get(report.messageId);
    return exists ? 'stale' : 'unknown-message';
  }
  const { previous, broadcastId } = applied;
  if (!broadcastId) return 'applied';
  const delta: CountsDelta = {};
  const wasFinal = statusRank[previous] >= statusRank.delivered;
  if (!wasFinal && (report.status === 'delivered' || report.status === 'read')) delta.delivered = 1;
  if (!wasFinal && (report.status === 'undelivered' || report.status === 'failed')) delta.undelivered = 1;
  if (Object.keys(delta).length > 0 && !(await deps.stores.broadcasts.addCounts(broadcastId, delta))) {
    logger.warn('receipt for a broadcast without counters: applied to the message, not counted', { broadcastId });
  }
  return 'applied';
}
