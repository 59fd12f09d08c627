import { ConfigurationError, ProviderError } from '../domain/errors.js';
import type { BroadcastSendJob, ReplySendJob } from '../domain/jobs.js';
import { defaultLanguage, type Language } from '../domain/language.js';
import { renderContent } from '../domain/message-content.js';
import { recipientKey, topicNameIn, type Broadcast, type Channel, type Recipient, type SkipReason, type SubscriberProfile } from '../domain/model.js';
import { withStopFooter } from '../domain/replies.js';
import { isWhatsAppWindowOpen } from '../domain/whatsapp-window.js';
import { estimateMessageCost } from '../domain/costs.js';
import { broadcastMessageId } from '../domain/message-ids.js';
import type { PriceTable } from '../domain/sms-preview.js';
import type { OutboundTemplate } from '../ports/messaging-provider.js';
import type { ProviderDirectory } from '../ports/provider-directory.js';
import type { CountsDelta, MessageRecord } from '../ports/stores.js';
import { logger } from '../runtime/logger.js';
import { recordProgress } from './broadcast-progress.js';
import { departmentsOf } from './department-limits.js';
import type { CoreDependencies, SendWindow } from './dependencies.js';

export interface SendDependencies extends CoreDependencies {
  providers: ProviderDirectory;
  /** What each message is estimated to cost (PRICE_TABLE, validated; the built-in estimates when unset). */
  prices: PriceTable;
  /** Base URL providers post receipts to; the message id rides along in the query string. */
  statusCallbackBaseUrl: string;
  /** Quiet hours, and the deployment's calendar day a batch's cost is counted on. */
  window: Pick<SendWindow, 'heldUntil' | 'dayOf'>;
}

/** The provider could not take a message right now (throttled, unreachable): try the job again later. */
export class RetryLaterError extends Error {
  readonly providerError: ProviderError;
  constructor(providerError: ProviderError) {
    super(`retry later: ${providerError.message}`, { cause: providerError });
    this.providerError = providerError;
    this.name = 'RetryLaterError';
  }
}

/** A normal broadcast's batch met quiet hours: it waits, untouched, until they end. */
export class HeldForQuietHoursError extends Error {
  readonly until: Date;
  constructor(until: Date) {
    super(`held for quiet hours until ${until.toISOString()}`);
    this.until = until;
    this.name = 'HeldForQuietHoursError';
  }
}

// Moved to the domain (the counting of a job's outcomes needs it too); re-exported for the callers that import it from here.
export { broadcastMessageId };

/**
 * Sends one batch of a broadcast. For each recipient: their profile read strongly just before
 * the send (a STOP that landed a second ago counts; an erased resident has none), the text in
 * their language with their placeholders, the WhatsApp window (a template outside it), then the
 * claim, then the provider. Ambiguous outcomes are never retried: a message that might have
 * gone out is recorded as failed rather than risk sending it twice.
 */
export async function sendBroadcastBatch(deps: SendDependencies, job: BroadcastSendJob): Promise<void> {
  const broadcast = await deps.stores.broadcasts.get(job.broadcastId);
  if (!broadcast) {
    logger.warn('send job for a broadcast that does not exist', { broadcastId: job.broadcastId });
    return;
  }
  if (broadcast.status !== 'cancelled') {
    // Checked before any claim, so a held batch is taken up again whole when quiet hours end.
    const heldUntil = deps.window.heldUntil(broadcast.priority, deps.clock.now());
    if (heldUntil) throw new HeldForQuietHoursError(heldUntil);
  }
  const delta: Required<Pick<CountsDelta, 'sent' | 'failed' | 'skipped' | 'costMicros' | 'costCurrency'>> = {
    sent: 0,
    failed: 0,
    skipped: 0,
    costMicros: 0,
    costCurrency: deps.prices.currency,
  };
  const skip = async (recipient: Recipient, reason: SkipReason) => {
    if (await recordSkip(deps, broadcast.id, recipient, reason)) delta.skipped += 1;
  };
  try {
    if (broadcast.status === 'cancelled') {
      for (const recipient of job.recipients) await skip(recipient, 'cancelled');
      return;
    }
    const topicName = await topicNamer(deps, broadcast);
    for (const recipient of job.recipients) {
      // Read for each resident just before their send, not once per batch: at a paced rate a
      // batch takes seconds, and a STOP that arrives in them must still be honoured.
      const profile = (await deps.stores.subscribers.profilesOf([recipient.phone], { consistent: true })).get(recipient.phone);
      if (!profile || profile.optedOut[recipient.channel] !== undefined) {
        await skip(recipient, 'opted_out');
        continue;
      }
      const message = composeFor(broadcast, profile, recipient.channel, deps.clock.now(), topicName);
      if ('skip' in message) {
        await skip(recipient, message.skip);
        continue;
      }
      const outcome = await claimAndSend(deps, {
        messageId: broadcastMessageId(broadcast.id, recipient.phone),
        broadcastId: broadcast.id,
        ...recipient,
        ...message,
        testMode: broadcast.mode === 'test',
      });
      if (outcome.result !== 'already-claimed') delta[outcome.result] += 1;
      delta.costMicros += outcome.costMicros;
    }
  } finally {
    // Counted even when a retry is due, so the recipients done so far are not counted again. The
    // batch's cost rides in the same write as its counts.
    if (delta.sent + delta.failed + delta.skipped > 0) await recordProgress(deps.stores, broadcast.id, delta);
    // One ADD per batch (not per message) on the department's usage item for today: a department
    // sends few enough batches a second for one item to take them, and it answers "what did we
    // spend today" with one read.
    if (delta.costMicros > 0) {
      const day = deps.window.dayOf(deps.clock.now());
      for (const [department, share] of costShares(departmentsOf(broadcast), delta.costMicros)) {
        await deps.stores.departments.addCost(department, day, share, delta.costCurrency);
      }
    }
  }
}

/**
 * A broadcast over topics of several departments (an operator's) is shared between them evenly,
 * the odd micro-units to the first, so the departments' days add up to what was spent.
 */
export function costShares(departments: readonly string[], costMicros: number): [string, number][] {
  const each = Math.floor(costMicros / departments.length);
  return departments.map((department, index) => [department, each + (index === 0 ? costMicros - each * departments.length : 0)]);
}

/**
 * What one resident is sent: the variant for their language with their profile filled in and
 * the STOP footer, or on WhatsApp outside their 24-hour window the broadcast's template; or why
 * they get nothing.
 */
function composeFor(
  broadcast: Broadcast,
  profile: SubscriberProfile,
  channel: Channel,
  now: Date,
  topicName: (language: Language) => string,
): { body: string; template: OutboundTemplate | undefined } | { skip: SkipReason } {
  const rendered = renderContent(broadcast, profile, { defaultLanguage, topicName });
  if (!rendered.ok) return { skip: 'missing_data' };
  const body = withStopFooter(rendered.text, rendered.language);
  if (channel !== 'whatsapp' || isWhatsAppWindowOpen(profile, now)) return { body, template: undefined };
  if (!broadcast.whatsappTemplate) return { skip: 'whatsapp_window_closed' };
  return {
    body,
    template: {
      name: broadcast.whatsappTemplate.name,
      language: rendered.templateLanguage ?? rendered.language,
      parameters: rendered.templateParameters,
    },
  };
}

/** The `{{topic}}` placeholder names the broadcast's first topic, in the resident's language. */
async function topicNamer(deps: SendDependencies, broadcast: Broadcast): Promise<(language: Language) => string> {
  const topic = await deps.stores.topics.get(broadcast.topics[0] ?? '');
  return (language) => (topic ? topicNameIn(topic, language) : '');
}

/** Sends a reply to one resident's text. */
export async function sendReply(deps: SendDependencies, job: ReplySendJob): Promise<void> {
  const passesOptOut = job.purpose === 'optOutConfirmation' || job.purpose === 'help';
  if (!passesOptOut) {
    const optedOut = await deps.stores.subscribers.optedOutAmong([{ phone: job.to, channel: job.channel }]);
    if (optedOut.size > 0) {
      await recordSkip(deps, undefined, { phone: job.to, channel: job.channel }, 'opted_out', job.messageId);
      return;
    }
  }
  await claimAndSend(deps, {
    messageId: job.messageId,
    broadcastId: undefined,
    phone: job.to,
    channel: job.channel,
    body: job.body,
    testMode: false,
  });
}

interface Delivery {
  messageId: string;
  broadcastId: string | undefined;
  phone: string;
  channel: Channel;
  body: string;
  template?: OutboundTemplate;
  /** A test broadcast's message: only the sandbox provider may carry it. */
  testMode: boolean;
}

/** What one send came to, and the estimated cost it adds (0 unless the provider accepted it). */
interface SendOutcome {
  result: 'sent' | 'failed' | 'already-claimed';
  costMicros: number;
}

async function claimAndSend(deps: SendDependencies, delivery: Delivery): Promise<SendOutcome> {
  const now = deps.clock.now().toISOString();
  const record: MessageRecord = {
    messageId: delivery.messageId,
    broadcastId: delivery.broadcastId,
    to: delivery.phone,
    channel: delivery.channel,
    status: 'sending',
    skipReason: undefined,
    provider: undefined,
    providerMessageId: undefined,
    errorCode: undefined,
    createdAt: now,
    updatedAt: now,
  };
  // A message claimed before (a redelivery) was costed by the delivery that sent it.
  if ((await deps.stores.messages.claim(record)).outcome === 'already-claimed') return { result: 'already-claimed', costMicros: 0 };
  try {
    const provider = await deps.providers.forChannel(delivery.channel, { testMode: delivery.testMode });
    const accepted = await provider.sendText({
      messageId: delivery.messageId,
      to: delivery.phone as never,
      channel: delivery.channel,
      body: delivery.body,
      template: delivery.template,
      statusCallbackUrl: `${deps.statusCallbackBaseUrl}?messageId=${encodeURIComponent(delivery.messageId)}`,
    });
    // Priced on the exact text the provider was given: the resident's language, placeholders and footer.
    const estimate = estimateMessageCost(deps.prices, { channel: delivery.channel, to: delivery.phone, body: delivery.body });
    await deps.stores.messages.markSent(delivery.messageId, accepted.provider, accepted.providerMessageId, deps.clock.now().toISOString(), {
      estimate,
      ...(accepted.price ? { providerPrice: accepted.price } : {}),
    });
    return { result: 'sent', costMicros: estimate.estimatedMicros };
  } catch (error) {
    return { result: await handleSendFailure(deps, delivery, error), costMicros: 0 };
  }
}

async function handleSendFailure(deps: SendDependencies, delivery: Delivery, error: unknown): Promise<'failed'> {
  const at = deps.clock.now().toISOString();
  if (error instanceof ConfigurationError) {
    // No provider could be built, so nothing went out: give the claim back and fail the job
    // loudly (retries, then the dead-letter queue and its alarm) instead of recording a miss.
    await deps.stores.messages.release(delivery.messageId);
    throw error;
  }
  if (error instanceof ProviderError && error.retryable) {
    // Certainly not sent: give the claim back so the retry can take it.
    await deps.stores.messages.release(delivery.messageId);
    throw new RetryLaterError(error);
  }
  if (error instanceof ProviderError) {
    if (error.kind === 'recipientOptedOut') {
      await deps.stores.subscribers.optOut(delivery.phone, delivery.channel, at, {
        kind: 'admin',
        actor: `provider:${error.provider}`,
        reason: `the provider reports the recipient opted out (code ${error.providerCode ?? 'none'})`,
      });
    }
    await deps.stores.messages.markFailed(delivery.messageId, error.providerCode ?? error.kind, at);
    return 'failed';
  }
  // Not a provider answer (a bug, a crash mid-request): the message may have gone out, so it is
  // recorded as failed and never retried: a silent double send is worse than a recorded miss.
  logger.error('send ended ambiguously; recorded as failed, not retried', { error, messageId: delivery.messageId });
  await deps.stores.messages.markFailed(delivery.messageId, 'ambiguous', at);
  return 'failed';
}

async function recordSkip(
  deps: SendDependencies,
  broadcastId: string | undefined,
  recipient: Recipient,
  reason: MessageRecord['skipReason'],
  messageId = broadcastMessageId(broadcastId ?? 'none', recipient.phone),
): Promise<boolean> {
  const now = deps.clock.now().toISOString();
  return deps.stores.messages.recordOnce({
    messageId,
    broadcastId,
    to: recipient.phone,
    channel: recipient.channel,
    status: 'skipped',
    skipReason: reason,
    provider: undefined,
    providerMessageId: undefined,
    errorCode: undefined,
    createdAt: now,
    updatedAt: now,
  });
}
