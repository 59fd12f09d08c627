import type { StatusReport } from '../domain/inbound.js';
import { statusRank, supersedes } from '../domain/status-precedence.js';
import { metricsOf } from '../platform/metrics.js';
import { logger } from '../runtime/logger.js';
import type { CoreDependencies } from '../ports/dependencies.js';

export type ReceiptOutcome = 'applied' | 'stale' | 'unknown-message';

/**
 * A delivery receipt: applied to the message only if it moves it forward (status precedence),
 * one conditional write. It is counted on its broadcast from the table's change stream, in
 * batches (shared/broadcasts/count-receipts.ts): a receipt costs no write to the counters of its
 * own, and the broadcast itself is neither read nor written.
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
  return 'applied';
}
