import type { Recipient, SkipReason } from '../domain/model.js';
import { paceKeyOf, type SenderIdentity } from '../domain/sender-identity.js';
import type { PaceLane } from '../pacing/send-pacer.js';
import type { MessageRecord } from './message-store.js';
import type { SendDependencies } from './send-message.js';
import { SenderSlots } from '../pacing/sender-slots.js';

/*
 * What a send job's run is and keeps: its deadline and id, its counts, what it hands back, and
 * what it makes of a claim an earlier run of it left.
 */

/**
 * A claim of this job older than this, still 'sending', was left by a run that died: a job comes
 * back only after its visibility timeout (12 minutes for a 120-second sender), so a live run's
 * claims are always younger.
 */
const STALE_CLAIM_MS = 4 * 60_000;

/** What a send job knows about its own run: which job it is, and when its function will be stopped. */
export interface SendRun {
  /** Epoch ms at which the function is stopped (Lambda's timeout). */
  deadline: number;
  /** The job's SQS message id: the same on every redelivery of it; its totals are kept under it. */
  jobId: string;
}

/** What one run of a job did, and whether it met records an earlier run of the same job left. */
export interface BatchDelta {
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
export interface HandBack {
  /** Where in the batch (and its retried tail) it stopped; `rest` is everyone from there on. */
  from: number;
  rest: Recipient[];
  retryAt: number;
  /** A provider failure (counts as an attempt), rather than the sender's schedule or the clock. */
  failure: boolean;
}

export function newSenderSlots(deps: SendDependencies, identity: SenderIdentity, lane: PaceLane, deadline: number): SenderSlots {
  return new SenderSlots({
    pacer: deps.pacing.pacer,
    clock: deps.clock,
    sleep: deps.pacing.sleep,
    sender: paceKeyOf(identity),
    messagesPerSecond: identity.mps,
    lane,
    deadline,
  });
}

/**
 * A claim found already made. If an earlier run of this very job made it and it is still
 * 'sending', that run died between the claim and the outcome (SQS hands a job out again only
 * after its visibility timeout, six times the function's): whether the provider took it is
 * unknown, so it is recorded as failed, outcome unknown, and never sent again. Either way the job's
 * totals are counted again from its records (recountJob) rather than from this run alone.
 */
export async function settleEarlierClaim(deps: SendDependencies, existing: MessageRecord, run: SendRun, delta: BatchDelta): Promise<void> {
  if (existing.jobId !== run.jobId) return;
  delta.metEarlierRun = true;
  if (existing.status !== 'sending') return;
  const now = deps.clock.now();
  const claimedNoLaterThan = new Date(now.getTime() - STALE_CLAIM_MS).toISOString();
  await deps.stores.messages.resolveStaleClaim(existing.messageId, claimedNoLaterThan, now.toISOString(), run.jobId);
}
