import { estimateMessageCost, fromMicros } from '../domain/costs.js';
import { ConfigurationError, CrierError, ProviderError } from '../domain/errors.js';
import type { ReplySendJob } from '../domain/jobs.js';
import type { Channel, Recipient, SkipReason } from '../domain/model.js';
import type { PriceTable } from '../domain/sms-preview.js';
import type { MessagingProvider, OutboundTemplate } from '../ports/messaging-provider.js';
import type { ProviderDirectory } from '../ports/provider-directory.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { SendPacer } from '../pacing/send-pacer.js';
import type { ClaimOutcome, MessageRecord } from './message-store.js';
import type { SenderIdentity } from '../domain/sender-identity.js';
import type { SendJob } from '../domain/jobs.js';
import type { Priority } from '../domain/model.js';
import type { BackoffRetryPolicy } from '../domain/retry-policy.js';
import { metricsOf, type Metrics } from '../platform/metrics.js';
import { logger } from '../runtime/logger.js';
import type { CoreDependencies, SendWindow } from '../ports/dependencies.js';
import type { ConsentStore } from '../consent/consent-store.js';
import type { ErasureStore } from '../consent/erasure-store.js';
import type { WithSubscribers } from '../ports/stores.js';

export interface SendDependencies extends CoreDependencies {
  providers: ProviderDirectory;
  /** What each message is estimated to cost (PRICE_TABLE, validated; the built-in estimates when unset). */
  prices: PriceTable;
  /** Base URL providers post receipts to; the message id rides along in the query string. */
  statusCallbackBaseUrl: string;
  /** Quiet hours, and the deployment's calendar day a batch's cost is counted on. */
  window: Pick<SendWindow, 'heldUntil' | 'dayOf'>;
  /**
   * The identities the deployment sends from, each with its rate (shared/domain/sender-identity.ts),
   * resolved from the provider settings as they are now (a rotated secret may change them).
   */
  senders: () => Promise<readonly SenderIdentity[]>;
  /** The shared schedule that keeps every function sending for an identity within its rate. */
  pacing: {
    pacer: SendPacer;
    sleep: (ms: number) => Promise<void>;
    /**
     * Residents one run works on at once at most, preparing and sending together: a bound, not a
     * sizing (the run sizes itself from its sender's rate and what it measures); 1 in tests that
     * tell a story one resident after another.
     */
    maxInFlight: number;
  };
  /** Where the unfinished rest of a batch goes back to, by lane (after a retryable failure, or when time ran out). */
  sendQueues: Record<Priority, JobQueue<SendJob>>;
  /** How many attempts a batch gets, and how long it waits between them: the send queues' retry policy (their catalog trigger's). */
  retry: BackoffRetryPolicy;
}

/**
 * Of a resident, a send touches their consent alone: it reads their opt-out, and a provider's
 * "opted out" answer opts them out and settles how long they are kept.
 */
type SendingDependencies = WithSubscribers<SendDependencies, ConsentStore & ErasureStore>;

/** The provider could not take a message right now (throttled, unreachable): try the job again later. */
export class RetryLaterError extends CrierError {
  readonly providerError: ProviderError;
  constructor(providerError: ProviderError) {
    super(`retry later: ${providerError.message}`, { cause: providerError });
    this.providerError = providerError;
    this.name = 'RetryLaterError';
  }
}

/**
 * A broadcast's message id for one resident. Deterministic, so the claim (a conditional write on
 * it) is what makes "at most once per resident" hold across retries and redeliveries.
 */
export function broadcastMessageId(broadcastId: string, phone: string): string {
  return `${broadcastId}-${phone.replace(/^\+/, '')}`;
}

export interface Delivery {
  messageId: string;
  broadcastId: string | undefined;
  phone: string;
  channel: Channel;
  body: string;
  template?: OutboundTemplate;
  /** A test broadcast's message: only the sandbox provider may carry it. */
  testMode: boolean;
  /** The broadcast's department(s), for the providers that keep what they send (the recording sandbox). */
  department?: string;
  /** The identity it goes from; absent, the provider's own from setting. */
  sender?: SenderIdentity;
  /** The send job making the claim: its totals count this message (see recountJob). */
  jobId?: string;
  /**
   * The job's last attempt: a retryable failure is recorded as failed (`retries_exhausted`)
   * instead of being handed back for another try.
   */
  lastAttempt?: boolean;
}

/** What one send came to, and the estimated cost it adds (0 unless the provider accepted it). */
export type SendOutcome =
  | { result: 'sent' | 'failed'; costMicros: number }
  /** Claimed before, by an earlier run of this job or by another job: `existing` says which, and how it stands. */
  | { result: 'already-claimed'; existing: MessageRecord; costMicros: 0 };

/**
 * Claims the message, then sends it. A retryable provider failure gives the claim back and
 * throws `RetryLaterError`; a `ConfigurationError` gives it back and is rethrown.
 */
export async function claimAndSend(deps: SendingDependencies, delivery: Delivery, provider: MessagingProvider): Promise<SendOutcome> {
  const claim = await claimMessage(deps, delivery);
  // A message claimed before (a redelivery) was costed by the delivery that sent it.
  if (claim.outcome === 'already-claimed') return { result: 'already-claimed', existing: claim.existing, costMicros: 0 };
  return sendClaimed(deps, delivery, provider);
}

/** The idempotent claim alone: a conditional write keyed by the message id, before any provider call. */
export async function claimMessage(deps: WithSubscribers<SendDependencies, unknown>, delivery: Delivery): Promise<ClaimOutcome> {
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
    ...(delivery.jobId ? { jobId: delivery.jobId } : {}),
  };
  return deps.stores.messages.claim(record);
}

/**
 * Sends a message this run has claimed and records the outcome. A retryable provider failure
 * gives the claim back and throws `RetryLaterError`; a `ConfigurationError` gives it back and is
 * rethrown.
 */
export async function sendClaimed(deps: SendingDependencies, delivery: Delivery, provider: MessagingProvider): Promise<SendOutcome> {
  const metrics = metricsOf(deps);
  const dimensions = { channel: delivery.channel, provider: provider.name };
  try {
    const accepted = await timed(metrics, dimensions, () => provider.sendText({
      messageId: delivery.messageId,
      to: delivery.phone as never,
      channel: delivery.channel,
      body: delivery.body,
      template: delivery.template,
      statusCallbackUrl: `${deps.statusCallbackBaseUrl}?messageId=${encodeURIComponent(delivery.messageId)}`,
      ...(delivery.sender ? { from: { kind: delivery.sender.kind, address: delivery.sender.address } } : {}),
      ...(delivery.broadcastId && delivery.department
        ? { origin: { broadcastId: delivery.broadcastId, department: delivery.department, mode: delivery.testMode ? 'test' : 'live' } }
        : {}),
    }));
    // Priced on the exact text the provider was given: the resident's language, placeholders and footer.
    const estimate = estimateMessageCost(deps.prices, { channel: delivery.channel, to: delivery.phone, body: delivery.body });
    const recorded = await deps.stores.messages.markSent(delivery.messageId, accepted.provider, accepted.providerMessageId, deps.clock.now().toISOString(), {
      estimate,
      ...(accepted.price ? { providerPrice: accepted.price } : {}),
      ...(delivery.sender ? { senderId: delivery.sender.id } : {}),
    });
    if (!recorded) {
      // The resident's records were erased while this message was on its way: it went, and no
      // record of it is kept, as erasure asked. Said so, without the number the message id holds.
      logger.warn('a message went out while its resident was being erased: it is counted as sent, and no record of it is kept', {
        broadcastId: delivery.broadcastId,
        channel: delivery.channel,
        provider: accepted.provider,
      });
    }
    metrics.record('MessagesSent', dimensions);
    metrics.record('Spend', dimensions, fromMicros(estimate.estimatedMicros));
    return { result: 'sent', costMicros: estimate.estimatedMicros };
  } catch (error) {
    return { result: await handleSendFailure(deps, delivery, error, dimensions), costMicros: 0 };
  }
}

/** A provider call, timed whether it is answered or fails. */
async function timed<T>(metrics: Metrics, dimensions: { channel: Channel; provider: MessagingProvider['name'] }, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await call();
  } finally {
    metrics.record('SendDuration', dimensions, performance.now() - started);
  }
}

async function handleSendFailure(
  deps: SendingDependencies,
  delivery: Delivery,
  error: unknown,
  dimensions: { channel: Channel; provider: MessagingProvider['name'] },
): Promise<'failed'> {
  const metrics = metricsOf(deps);
  const at = deps.clock.now().toISOString();
  if (error instanceof ProviderError && error.kind === 'throttled') metrics.record('ProviderThrottled', dimensions);
  if (error instanceof ConfigurationError) {
    // No provider could be built, so nothing went out: give the claim back and fail the job
    // loudly (retries, then the dead-letter queue and its alarm) instead of recording a miss.
    await deps.stores.messages.release(delivery.messageId);
    throw error;
  }
  if (error instanceof ProviderError && error.retryable && !delivery.lastAttempt) {
    // Certainly not sent: give the claim back so the retry can take it.
    await deps.stores.messages.release(delivery.messageId);
    throw new RetryLaterError(error);
  }
  if (error instanceof ProviderError) {
    if (error.kind === 'recipientOptedOut') {
      const newlyOptedOut = await deps.stores.subscribers.optOut(delivery.phone, delivery.channel, at, {
        kind: 'admin',
        actor: `provider:${error.provider}`,
        reason: `the provider reports the recipient opted out (code ${error.providerCode ?? 'none'})`,
      });
      if (newlyOptedOut) metrics.record('OptOuts', { channel: delivery.channel, source: 'provider' });
      await deps.stores.subscribers.settleRetention(delivery.phone, at);
    }
    const code = error.providerCode ?? error.kind;
    await deps.stores.messages.markFailed(delivery.messageId, error.retryable ? `retries_exhausted:${code}` : String(code), at);
    metrics.record('MessagesFailed', { ...dimensions, reason: error.kind });
    return 'failed';
  }
  // Not a provider answer (a bug, a crash mid-request): the message may have gone out, so it is
  // recorded as failed and never retried: a silent double send is worse than a recorded miss.
  logger.error('send ended ambiguously; recorded as failed, not retried', { error, messageId: delivery.messageId });
  await deps.stores.messages.markFailed(delivery.messageId, 'ambiguous', at);
  metrics.record('MessagesFailed', { ...dimensions, reason: 'ambiguous' });
  return 'failed';
}

/** Records why a resident was not sent a message; false when a record already existed (counted before). */
export async function recordSkip(
  deps: WithSubscribers<SendDependencies, unknown>,
  broadcastId: string | undefined,
  recipient: Recipient,
  reason: SkipReason,
  messageId = broadcastMessageId(broadcastId ?? 'none', recipient.phone),
  jobId?: string,
): Promise<boolean> {
  const now = deps.clock.now().toISOString();
  const recorded = await deps.stores.messages.recordOnce({
    ...(jobId ? { jobId } : {}),
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
  if (recorded) metricsOf(deps).record('MessagesSkipped', { channel: recipient.channel, reason });
  return recorded;
}

/** Sends a reply to one resident's text, through the provider and from the identity the caller has chosen (and paced for). */
export async function sendReply(
  deps: SendingDependencies,
  job: ReplySendJob,
  provider: MessagingProvider,
  sender?: SenderIdentity,
): Promise<SendOutcome | { result: 'skipped'; costMicros: 0 }> {
  const passesOptOut = job.purpose === 'optOutConfirmation' || job.purpose === 'help';
  if (!passesOptOut) {
    const optedOut = await deps.stores.subscribers.optedOutAmong([{ phone: job.to, channel: job.channel }]);
    if (optedOut.size > 0) {
      await recordSkip(deps, undefined, { phone: job.to, channel: job.channel }, 'opted_out', job.messageId);
      return { result: 'skipped', costMicros: 0 };
    }
  }
  return claimAndSend(
    deps,
    {
      messageId: job.messageId,
      broadcastId: undefined,
      phone: job.to,
      channel: job.channel,
      body: job.body,
      testMode: false,
      ...(sender ? { sender } : {}),
      ...(job.template ? { template: job.template } : {}),
    },
    provider,
  );
}
