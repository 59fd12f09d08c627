import { randomUUID } from 'node:crypto';
import type { BroadcastSendJob, ReplySendJob } from '../domain/jobs.js';
import { generalDepartment, type Broadcast, type Recipient, type SkipReason } from '../domain/model.js';
import { rateUnitsOf } from '../domain/send-rates.js';
import { replySenderOf } from '../domain/sender-identity.js';
import { CrierError } from '../domain/errors.js';
import { retryDelaySeconds } from '../domain/retry-policy.js';
import { logger } from '../runtime/logger.js';
import { sendDeadlineOf } from '../pacing/run-limits.js';
import { sendPaced } from './paced-run.js';
import { newSenderSlots, type BatchDelta, type HandBack, type SendRun } from './send-run.js';
import { recordJobProgress } from '../broadcasts/broadcast-progress.js';
import { recountJob } from './job-recount.js';
import { departmentsOf } from '../usage/department-limits.js';
import { recordSkip, sendReply as sendReplyNow, type SendDependencies } from './send-message.js';

export { broadcastMessageId, RetryLaterError, type SendDependencies } from './send-message.js';
export type { SendRun } from './send-run.js';

/** A run with no deadline, as a test or a script calls the sender; a job id of its own. */
const unboundedRun = (): SendRun => ({ deadline: Number.POSITIVE_INFINITY, jobId: `run-${randomUUID()}` });

/** A normal broadcast's batch met quiet hours: it waits, untouched, until they end. */
export class HeldForQuietHoursError extends CrierError {
  readonly until: Date;
  constructor(until: Date) {
    super(`held for quiet hours until ${until.toISOString()}`);
    this.until = until;
    this.name = 'HeldForQuietHoursError';
  }
}

/**
 * Sends one batch of a broadcast, paced to each sender's rate, several residents at once (see
 * shared/sending/paced-run.ts). For each recipient: their consent read strongly just before their
 * slot (a STOP that landed a moment ago counts; an erased resident has none), the text in their
 * language with their placeholders, the WhatsApp window (a template outside it), the claim, a
 * slot from the sender's shared schedule, then the provider.
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
        sendPaced(deps, broadcast, recipients, job.topicId, { ...run, lastAttempt: attempt + 1 >= deps.retry.attempts }, delta, skip),
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
    ? retryDelaySeconds(deps.retry.backoff, attempt) * 1000
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
  const sender = newSenderSlots(deps, identity, 'reply', sendDeadlineOf(run.deadline));
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
