import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { WebhookSource } from '../domain/inbound.js';
import { routeText } from './keyword-router.js';
import type { ProviderWebhooks, SkippedWebhookItem, UnidentifiedText, WebhookBatch, WebhookRequest } from '../ports/provider-webhooks.js';
import { logger } from '../runtime/logger.js';
import type { CoreDependencies, InboundDependencies } from '../ports/dependencies.js';
import { handleInboundText } from './handle-inbound.js';
import { recordReceipt } from '../sending/record-receipt.js';

/**
 * How long the inbound log keeps the record of an item crier did not act on. It holds no number
 * and no words (only the provider's id, where the item sat and why), so it is kept for as long
 * as an operator may be asked about a lost message, not by the retention schedule of personal data.
 */
export const SKIPPED_ITEM_KEPT_DAYS = 90;

/** What a delivery came to: what the answer to the provider may say. */
export interface WebhookSummary {
  /** Residents' texts acted on (or recognised as already acted on). */
  messages: number;
  /** Receipts applied to messages crier sent (or recognised as stale). */
  statuses: number;
  /** Items not acted on: each logged, and recorded in the inbound log when it has an id. */
  skipped: number;
}

/**
 * A provider's webhook, end to end: proven to come from the provider (a forged or altered request
 * is refused before anything is parsed or stored), read, and acted on.
 *
 * A delivery that is signed and readable as the provider's envelope is always acknowledged: each
 * message and status in it is taken on its own, and one crier cannot act on is recorded with its
 * reason and skipped, never a reason to refuse the rest (a STOP may be next to it; the provider
 * would retry the whole delivery for days). Only a failure that may pass (the table or the queue
 * unavailable) fails the delivery, so the provider sends it again.
 */
export async function receiveWebhook(
  deps: CoreDependencies | InboundDependencies,
  webhooks: ProviderWebhooks,
  request: WebhookRequest,
): Promise<WebhookSummary> {
  await webhooks.verify(request);
  const batch = webhooks.parse(request);
  return actOnWebhook(webhooks.source, deps, batch);
}

/**
 * The answer to a provider's check that the URL is ours (Meta's GET with `hub.challenge`). A
 * provider without such a handshake has no such route: NotFoundError.
 */
export async function answerHandshake(webhooks: ProviderWebhooks, request: WebhookRequest): Promise<string> {
  if (!webhooks.handshake) throw new NotFoundError(`${webhooks.source} webhooks have no handshake`);
  return webhooks.handshake(request);
}

/**
 * What a verified webhook asks for: residents' texts to the keyword router, receipts to their
 * messages. One at a time, in payload order: a resident's STOP and a later JOIN must be acted on in
 * the order sent. A text the domain refuses (ValidationError: it can never succeed) is recorded and
 * skipped; any other failure stops here and reaches the provider (a 500, or a queue record that
 * fails), it sends the delivery again, and what was already done is recognised by the provider's
 * message id (texts) or status precedence (receipts).
 *
 * `deps` without a reply queue serves receipts only (Twilio's status callback): a text sent there
 * is refused rather than dropped, so a webhook pointed at the wrong URL shows in the provider's log.
 */
async function actOnWebhook(
  source: WebhookSource,
  deps: CoreDependencies | InboundDependencies,
  batch: WebhookBatch,
): Promise<WebhookSummary> {
  for (const error of batch.accountErrors) logger.warn('provider reported an error about the account', { source, ...error });
  const skipped: SkippedWebhookItem[] = [...batch.skipped];
  let messages = 0;
  if (batch.inbound.length > 0) {
    if (!takesTexts(deps)) {
      throw new ValidationError(`this ${source} webhook takes delivery receipts only`, [
        { field: 'body', message: "is a resident's text: point the provider's incoming-message webhook at crier's inbound URL" },
      ]);
    }
    for (const [index, inbound] of batch.inbound.entries()) {
      try {
        await handleInboundText(deps, inbound);
        messages += 1;
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        skipped.push({ path: `inbound.${index}`, id: inbound.providerMessageId, kind: 'message', reason: `crier refused it: ${error.message}` });
      }
    }
  }
  let statuses = 0;
  for (const report of batch.receipts) {
    if ((await recordReceipt(deps, report)) === 'unknown-message') {
      skipped.push({
        path: 'receipts',
        id: report.providerMessageId,
        kind: 'status',
        reason: `a "${report.status}" status for a message crier has no record of sending`,
      });
    } else statuses += 1;
  }
  skipped.push(...batch.unidentified.map(unidentifiedSender));
  await recordSkipped(source, deps, skipped);
  return { messages, statuses, skipped: skipped.length };
}

/**
 * A message from someone crier knows by no phone number (a WhatsApp user who hides theirs behind a
 * username; Meta gives only a business-scoped user id). crier keeps residents, their subscriptions
 * and their consent by phone number, and sends only to phone numbers, so it cannot subscribe,
 * answer or inbox them. A STOP from them has nothing to end: a resident crier sends to is one whose
 * number it holds, and Meta keeps showing the number of anyone the business has exchanged messages
 * with (its contact book, and the last 30 days). It is still recorded apart, and logged as a
 * warning, so that an operator sees an opt-out crier could not tie to a number (docs/security.md,
 * "Provider webhooks"). Neither the user id nor the words are kept.
 */
function unidentifiedSender(text: UnidentifiedText): SkippedWebhookItem {
  const optOut = routeText(text.body).intent.kind === 'optOut';
  if (optOut) logger.warn('an opt-out from a sender with no phone number', { provider: text.provider, providerMessageId: text.providerMessageId });
  const what = optOut ? 'an opt-out (STOP)' : 'a message';
  return {
    path: text.path,
    id: text.providerMessageId,
    kind: 'message',
    reason: `${what} from a sender with no phone number, only the provider's user id: crier keeps residents by phone number, so it holds no subscription for this sender to act on`,
  };
}

async function recordSkipped(source: WebhookSource, deps: CoreDependencies, items: readonly SkippedWebhookItem[]): Promise<void> {
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + SKIPPED_ITEM_KEPT_DAYS * 24 * 60 * 60 * 1000);
  for (const item of items) {
    logger.info('webhook item skipped', { source, ...item });
    // An item with no id of its own (a change of another webhook field, an entry that cannot be
    // read) has nothing to be looked up by: the log line above is its record.
    if (item.id === undefined) continue;
    await deps.stores.inbound.recordSkipped(
      { provider: source, itemId: item.id, kind: item.kind, path: item.path, reason: item.reason, at: now.toISOString() },
      expiresAt,
    );
  }
}

function takesTexts(deps: CoreDependencies | InboundDependencies): deps is InboundDependencies {
  return 'replies' in deps;
}
