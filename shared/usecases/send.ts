import { randomUUID } from 'node:crypto';
import type { BroadcastSendJob, ReplySendJob } from '../domain/jobs.js';
import { generalDepartment, recipientKey, type Broadcast, type Recipient, type SkipReason } from '../domain/model.js';
import { rateUnitsOf } from '../domain/send-rates.js';
import { broadcastSenderOf, paceKeyOf, replySenderOf, type SenderIdentity } from '../domain/sender-identity.js';
import { retryDelaySeconds } from '../domain/backoff.js';
import type { PaceLane } from '../ports/send-pacer.js';
import type { MessageRecord } from '../ports/stores.js';
import { logger } from '../runtime/logger.js';
import { recordJobProgress } from './broadcast-progress.js';
import { recountJob } from './job-recount.js';
import { departmentsOf } from './department-limits.js';
import { broadcastMessageId, claimMessage, recordSkip, RetryLaterError, sendClaimed, sendReply as sendReplyNow, type Delivery, type SendDependencies } from './send-message.js';
import { SenderSlots } from './sender-slots.js';
import { cancelledSince, composeFor, consentOf, topicNamer } from './broadcast-recipient.js';

export { broadcastMessageId, RetryLaterError, type SendDependencies } from './send-message.js';

/** Attempts a batch gets at a retryable failure before the recipient it failed on is recorded as failed. */
export const MAX_SEND_ATTEMPTS = 8;
/**
 * A claim of this job older than this, still 'sending', was left by a run that died: a job comes
 * back only after its visibility timeout (12 minutes for a 120-second sender), so a live run's
 * claims are always younger.
 */
const STALE_CLAIM_MS = 4 * 60_000;
/** A consent read older than this as the slot comes is read again before the send. */
const FRESH_CONSENT_MS = 50;
/**
 * How long before its slot a message's consent is read again: about one DynamoDB read, so the
 * send leaves on its slot rather than a read after it. Late sends lose rate (a slot that went by
 * is forfeit) and bunch up against the next ones (a provider's one-second window sees a 429).
 */
const CONSENT_LEAD_MS = 25;
/** 429s a batch retries in place (after the sender's hold) before it hands its rest back. */
const MAX_THROTTLED_RETRIES = 3;
/** Left of a function's time when it stops starting sends: the ones in flight must finish and be recorded. */
const DEADLINE_MARGIN_MS = 10_000;

/** What a send job knows about its own run: which job it is, and when its function will be stopped. */
export interface SendRun {
  /** Epoch ms at which the function is stopped (Lambda's timeout). */
  deadline: number;
  /** The job's SQS message id: the same on every redelivery of it; its totals are kept under it. */
  jobId: string;
}

/** A run with no deadline, as a test or a script calls the sender; a job id of its own. */
const unboundedRun = (): SendRun => ({ deadline: Number.POSITIVE_INFINITY, jobId: `run-${randomUUID()}` });

/** A normal broadcast's batch met quiet hours: it waits, untouched, until they end. */
export class HeldForQuietHoursError extends Error {
  readonly until: Date;
  constructor(until: Date) {
    super(`held for quiet hours until ${until.toISOString()}`);
    this.until = until;
    this.name = 'HeldForQuietHoursError';
  }
}

/** What one run of a job did, and whether it met records an earlier run of the same job left. */
interface BatchDelta {
  sent: number;
  failed: number;
  skipped: number;
  skippedBy: Partial<Record<SkipReason, number>>;
  costMicros: number;
  costCurrency: string;
  /** An earlier run of this job (redelivered after its function died) claimed or skipped some of these recipients. */
  metEarlierRun: boolean;
}

/** Why the rest of a batch goes back to the queue, and when it should come out again. */
interface HandBack {
  /** Where in the batch (and its retried tail) it stopped; `rest` is everyone from there on. */
  from: number;
  rest: Recipient[];
  retryAt: number;
  /** A provider failure (counts as an attempt), rather than the sender's schedule or the clock. */
  failure: boolean;
}

/**
 * Sends one batch of a broadcast, paced to each sender's rate. For each recipient: their consent
 * read strongly (a STOP that landed a second ago counts; an erased resident has none; read again
 * if their slot was a while coming), the text in their language with their placeholders, the
 * WhatsApp window (a template outside it), the claim, a slot from the sender's shared schedule,
 * then the provider.
 *
 * The batch never fails because of the provider or the clock: what it could not send (a
 * retryable failure, the sender's schedule full, the function's time running out) goes back to
 * the queue as a new job for the rest, with a delay and, after a failure, one attempt more.
 * Ambiguous outcomes are never retried: a message that might have gone out is recorded as failed.
 */
export async function sendBroadcastBatch(deps: SendDependencies, job: BroadcastSendJob, run: SendRun = unboundedRun()): Promise<void> {
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
  const delta: BatchDelta = { sent: 0, failed: 0, skipped: 0, skippedBy: {}, costMicros: 0, costCurrency: deps.prices.currency, metEarlierRun: false };
  const skip = async (recipient: Recipient, reason: SkipReason) => {
    if (await recordSkip(deps, broadcast.id, recipient, reason, undefined, run.jobId)) {
      delta.skipped += 1;
      delta.skippedBy[reason] = (delta.skippedBy[reason] ?? 0) + 1;
    } else {
      delta.metEarlierRun = true;
    }
  };
  const attempt = job.attempt ?? 0;
  const handBacks: HandBack[] = [];
  try {
    if (broadcast.status === 'cancelled') {
      for (const recipient of job.recipients) await skip(recipient, 'cancelled');
      return;
    }
    // One paced run per channel, side by side: each channel has its own sender, and in one run a
    // wait for a WhatsApp slot would let the SMS slots booked meanwhile go by unused.
    const runs = await Promise.allSettled(
      byChannel(job.recipients).map((recipients) =>
        sendPaced(deps, broadcast, recipients, job.topicId, { ...run, lastAttempt: attempt + 1 >= MAX_SEND_ATTEMPTS }, delta, skip),
      ),
    );
    for (const outcome of runs) {
      if (outcome.status === 'rejected') throw outcome.reason;
      if (outcome.value) handBacks.push(outcome.value);
    }
  } finally {
    await recordBatch(deps, broadcast, job, run, delta);
  }
  // Each channel's rest as a job of its own: one may be a provider failure (an attempt more), the other only the schedule.
  for (const handBack of handBacks) await handBackRest(deps, broadcast, job, handBack);
}

/** A job's recipients by channel, in the job's order within each. */
function byChannel(recipients: readonly Recipient[]): Recipient[][] {
  const groups = new Map<Recipient['channel'], Recipient[]>();
  for (const recipient of recipients) {
    const group = groups.get(recipient.channel);
    if (group) group.push(recipient);
    else groups.set(recipient.channel, [recipient]);
  }
  return [...groups.values()];
}

async function sendPaced(
  deps: SendDependencies,
  broadcast: Broadcast,
  recipients: Recipient[],
  topicId: string | undefined,
  run: SendRun & { lastAttempt: boolean },
  delta: BatchDelta,
  skip: (recipient: Recipient, reason: SkipReason) => Promise<void>,
): Promise<HandBack | undefined> {
  const topicName = await topicNamer(deps, broadcast);
  const slots = new Map<string, SenderSlots>();
  // The batch's recipients, and behind them any the provider throttled, for one more go each.
  const pending = [...recipients];
  const inFlight = new Set<Promise<void>>();
  let throttledRetries = 0;
  const cancelCheck = { lastAt: deps.clock.now().getTime(), cancelled: false };
  let handBack: HandBack | undefined;
  let fatal: unknown;
  const stopAt = (from: number, retryAt: number, failure: boolean) => {
    if (!handBack || from < handBack.from) handBack = { from, retryAt, failure: failure || (handBack?.failure ?? false), rest: [] };
  };
  for (let index = 0; index < pending.length || inFlight.size > 0; ) {
    // Room for one more send first (or the last ones to finish), then a look at how they went.
    if (inFlight.size >= deps.pacing.maxInFlight || index >= pending.length) {
      await Promise.race(inFlight);
      continue;
    }
    if (handBack || fatal !== undefined) break;
    const position = index;
    const recipient = pending[index] as Recipient;
    index += 1;
    if (deps.clock.now().getTime() > run.deadline - DEADLINE_MARGIN_MS) {
      stopAt(position, deps.clock.now().getTime(), false);
      break;
    }
    if (await cancelledSince(deps, broadcast, cancelCheck)) {
      await skip(recipient, 'cancelled');
      continue;
    }
    const consent = await consentOf(deps, recipient, topicId);
    const readAt = deps.clock.now().getTime();
    if ('skip' in consent) {
      await skip(recipient, consent.skip);
      continue;
    }
    const { profile } = consent;
    // The identity first: a one-way sender ID's footer names the number to text STOP to.
    const provider = await deps.providers.forChannel(recipient.channel, { testMode: broadcast.mode === 'test' });
    const identity = broadcastSenderOf(await deps.senders(), provider.name, recipient.channel, departmentsOf(broadcast));
    const message = composeFor(broadcast, profile, recipient.channel, deps.clock.now(), topicName, identity.stopTo);
    if ('skip' in message) {
      await skip(recipient, message.skip);
      continue;
    }
    const sender = slotsFor(deps, slots, identity, broadcast.priority, run.deadline - DEADLINE_MARGIN_MS);
    const delivery: Delivery = {
      messageId: broadcastMessageId(broadcast.id, recipient.phone),
      broadcastId: broadcast.id,
      ...recipient,
      ...message,
      testMode: broadcast.mode === 'test',
      department: broadcast.department,
      lastAttempt: run.lastAttempt,
      jobId: run.jobId,
      sender: identity,
    };
    // Claimed before the wait for a slot, so that when the slot comes only the provider call is
    // left: the sends reach the provider as evenly spaced as their slots.
    const claim = await claimMessage(deps, delivery);
    if (claim.outcome === 'already-claimed') {
      await settleEarlierClaim(deps, claim.existing, run, delta);
      continue;
    }
    const units = message.template ? 1 : rateUnitsOf(recipient.channel, message.body);
    const slot = await sender.next(units, units * (pending.length - position));
    if (!slot.ok) {
      await deps.stores.messages.release(delivery.messageId);
      stopAt(position, slot.retryAt, false);
      break;
    }
    // The slot can be a while off at a slow rate: a STOP (or a leave) in that wait still counts.
    await sender.waitUntil(slot.at - CONSENT_LEAD_MS);
    if (deps.clock.now().getTime() - readAt > FRESH_CONSENT_MS) {
      const again = await consentOf(deps, recipient, topicId);
      if ('skip' in again) {
        await deps.stores.messages.release(delivery.messageId);
        await skip(recipient, again.skip);
        continue;
      }
    }
    await sender.waitUntil(slot.at);
    const send = sendClaimed(deps, delivery, provider)
      .then((outcome) => {
        if (outcome.result === 'already-claimed') return;
        delta[outcome.result] += 1;
        delta.costMicros += outcome.costMicros;
      })
      .catch(async (error: unknown) => {
        if (!(error instanceof RetryLaterError)) {
          fatal ??= error;
          return;
        }
        // The claim was given back. A 429 despite pacing (another client of the same account, a
        // provider counting differently): everyone sending for this sender pauses a moment, and
        // this resident gets another go at the end of the batch, a few times a batch at most.
        if (error.providerError.kind === 'throttled') {
          await sender.holdBack();
          if (throttledRetries < MAX_THROTTLED_RETRIES) {
            throttledRetries += 1;
            pending.push(recipient);
            return;
          }
        }
        // Otherwise this resident and everyone after go back to the queue, an attempt more.
        stopAt(position, deps.clock.now().getTime() + retryDelaySeconds(1) * 1000, true);
      })
      .finally(() => inFlight.delete(send));
    inFlight.add(send);
  }
  await Promise.all(inFlight);
  if (fatal !== undefined) throw fatal;
  if (!handBack) return undefined;
  const stopped: HandBack = handBack;
  // Once each, even if a throttled resident was queued again behind the point it stopped at.
  const rest = [...new Map(pending.slice(stopped.from).map((recipient) => [recipientKey(recipient), recipient])).values()];
  return { ...stopped, rest };
}

/** One schedule per sender identity: each is metered on its own by its provider. */
function slotsFor(deps: SendDependencies, slots: Map<string, SenderSlots>, identity: SenderIdentity, lane: PaceLane, deadline: number): SenderSlots {
  const sender = paceKeyOf(identity);
  let found = slots.get(sender);
  if (!found) {
    found = new SenderSlots({
      pacer: deps.pacing.pacer,
      clock: deps.clock,
      sleep: deps.pacing.sleep,
      sender,
      messagesPerSecond: identity.mps,
      lane,
      deadline,
    });
    slots.set(sender, found);
  }
  return found;
}

/**
 * A claim found already made. If an earlier run of this very job made it and it is still
 * 'sending', that run died between the claim and the outcome (SQS hands a job out again only
 * after its visibility timeout, six times the function's): whether the provider took it is
 * unknown, so it is recorded as failed, outcome unknown, and never sent again. Either way the job's
 * totals are counted again from its records (recountJob) rather than from this run alone.
 */
async function settleEarlierClaim(deps: SendDependencies, existing: MessageRecord, run: SendRun, delta: BatchDelta): Promise<void> {
  if (existing.jobId !== run.jobId) return;
  delta.metEarlierRun = true;
  if (existing.status !== 'sending') return;
  const now = deps.clock.now();
  const claimedNoLaterThan = new Date(now.getTime() - STALE_CLAIM_MS).toISOString();
  await deps.stores.messages.resolveStaleClaim(existing.messageId, claimedNoLaterThan, now.toISOString(), run.jobId);
}

/**
 * The job's totals, recorded even when the rest goes back to the queue. From this run's own
 * counts, or, when an earlier run of the job left records (it died part-way), counted again from
 * the records the job made, so nothing that run did is lost or counted twice. Its cost rides in
 * the same write as its counts, and one ADD per batch (not per message) goes on each
 * department's usage item for today, carrying the batch's sent messages with its cost.
 */
async function recordBatch(deps: SendDependencies, broadcast: Broadcast, job: BroadcastSendJob, run: SendRun, delta: BatchDelta): Promise<void> {
  const totals = delta.metEarlierRun
    ? (await recountJob(deps.stores, { broadcastId: broadcast.id, jobId: run.jobId, recipients: job.recipients })).delta
    : { sent: delta.sent, failed: delta.failed, skipped: delta.skipped, skippedBy: delta.skippedBy, costMicros: delta.costMicros, costCurrency: delta.costCurrency };
  if (totals.sent + totals.failed + totals.skipped > 0) {
    await recordJobProgress(deps.stores, { broadcastId: broadcast.id, jobId: run.jobId, delta: totals, at: deps.clock.now().toISOString() });
  }
  // This run's cost only: what an earlier run spent went on the department's day then, or died with it.
  if (delta.costMicros > 0 || delta.sent > 0) {
    const day = deps.window.dayOf(deps.clock.now());
    const departments = departmentsOf(broadcast);
    const sentShares = new Map(costShares(departments, delta.sent));
    for (const [department, share] of costShares(departments, delta.costMicros)) {
      await deps.stores.departments.addCost(department, day, share, delta.costCurrency, 'broadcasts', sentShares.get(department));
    }
  }
}

/**
 * Puts the recipients a batch did not get to back on its lane as a new job (SQS delays a message
 * by 15 minutes at most). A provider failure counts as an attempt and backs off exponentially;
 * running out of time or of the sender's schedule does not count, so a long urgent broadcast can
 * hold the bulk lane back for as long as it needs without using up anyone's retries.
 */
async function handBackRest(deps: SendDependencies, broadcast: Broadcast, job: BroadcastSendJob, handBack: HandBack): Promise<void> {
  const attempt = (job.attempt ?? 0) + (handBack.failure ? 1 : 0);
  const waitMs = handBack.failure
    ? retryDelaySeconds(attempt) * 1000
    : Math.max(0, handBack.retryAt - deps.clock.now().getTime());
  await deps.sendQueues[broadcast.priority].send(
    [{ kind: 'broadcast', broadcastId: broadcast.id, ...(job.topicId ? { topicId: job.topicId } : {}), recipients: handBack.rest, attempt }],
    { delaySeconds: Math.min(900, Math.ceil(waitMs / 1000)) },
  );
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
 * Sends a reply to one resident's text, from the number they wrote to where it is ours, in that
 * identity's schedule, on the reply lane: it never waits behind the bulk lane's bookings and never
 * holds the bulk lane off.
 */
export async function sendReply(deps: SendDependencies, job: ReplySendJob, run: SendRun = unboundedRun()): Promise<void> {
  const provider = await deps.providers.forChannel(job.channel, { testMode: false });
  const identity = replySenderOf(await deps.senders(), provider.name, job.channel, job.from);
  const sender = slotsFor(deps, new Map(), identity, 'reply', run.deadline - DEADLINE_MARGIN_MS);
  const slot = await sender.take(rateUnitsOf(job.channel, job.body));
  // Refused only when the schedule is fuller than the function has time left: SQS delivers it again.
  if (!slot.ok) throw new Error(`no send slot for ${sender.sender} before this function's deadline`);
  const outcome = await sendReplyNow(deps, job, provider, identity);
  // Replies belong to no broadcast, so their cost goes on the day of the department they concern
  // (a redelivered reply, already claimed, costs 0 and adds nothing).
  if (outcome.costMicros > 0 || outcome.result === 'sent') {
    const day = deps.window.dayOf(deps.clock.now());
    await deps.stores.departments.addCost(job.department ?? generalDepartment, day, outcome.costMicros, deps.prices.currency, 'replies', outcome.result === 'sent' ? 1 : 0);
  }
}
