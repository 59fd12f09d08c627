import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { WebhookSource } from '../domain/inbound.js';
import type { ProviderWebhooks, WebhookBatch, WebhookRequest } from '../ports/provider-webhooks.js';
import { logger } from '../runtime/logger.js';
import type { CoreDependencies, InboundDependencies } from './dependencies.js';
import { handleInboundText } from './handle-inbound.js';
import { recordReceipt } from './record-receipt.js';

/**
 * A provider's webhook, end to end: proven to come from the provider (a forged or altered request
 * is refused before anything is parsed or stored), read, and acted on. Returns what it carried,
 * for the answer to the provider.
 */
export async function receiveWebhook(
  deps: CoreDependencies | InboundDependencies,
  webhooks: ProviderWebhooks,
  request: WebhookRequest,
): Promise<WebhookBatch> {
  await webhooks.verify(request);
  const batch = webhooks.parse(request);
  await actOnWebhook(webhooks.source, deps, batch);
  return batch;
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
 * messages. One at a time, in payload order, stopping at the first failure: a resident's STOP and
 * a later JOIN must be acted on in the order sent. The failure reaches the provider (a 500, or a
 * queue record that fails), it sends the batch again, and what was already done is recognised by
 * the provider's message id (texts) or status precedence (receipts).
 *
 * `deps` without a reply queue serves receipts only (Twilio's status callback): a text sent there
 * is refused rather than dropped, so a webhook pointed at the wrong URL shows in the provider's log.
 */
async function actOnWebhook(
  source: WebhookSource,
  deps: CoreDependencies | InboundDependencies,
  batch: WebhookBatch,
): Promise<void> {
  for (const item of batch.skipped) logger.info('webhook item skipped', { source, ...item });
  for (const error of batch.accountErrors) logger.warn('provider reported an error about the account', { source, ...error });
  if (batch.inbound.length > 0) {
    if (!takesTexts(deps)) {
      throw new ValidationError(`this ${source} webhook takes delivery receipts only`, [
        { field: 'body', message: "is a resident's text: point the provider's incoming-message webhook at crier's inbound URL" },
      ]);
    }
    for (const inbound of batch.inbound) await handleInboundText(deps, inbound);
  }
  for (const report of batch.receipts) await recordReceipt(deps, report);
}

function takesTexts(deps: CoreDependencies | InboundDependencies): deps is InboundDependencies {
  return 'replies' in deps;
}
