import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { emptyTotals, isUnchanged, recipientsDone, totalsChange, type JobTotals } from './job-totals.js';
import { skipReasonSchema, type Broadcast } from '../domain/model.js';
import type { Stores, StoresWithSubscribers } from '../ports/stores.js';
import { logger } from '../runtime/logger.js';

/**
 * A broadcast's counters come in two speeds. The fast ones (its COUNTS item) take one ADD per send
 * batch and per receipt, and are what staff watch. The exact ones are each send job's own totals
 * (its JOB# item), overwritten as the job goes, so a redelivered or retried job never counts a
 * recipient twice. Each job's record is written before the fast counters take the difference, so
 * a crash between the two can only leave the fast counters short, never over; the broadcast is
 * marked sent only when the exact sum, not the fast one, accounts for everyone targeted.
 */

/** True when every shard has been fanned out and the fast counters account for every targeted recipient. */
export function isComplete(broadcast: Broadcast): boolean {
  const { targeted, sent, failed, skipped } = broadcast.counts;
  return broadcast.fanOutPending <= 0 && sent + failed + skipped >= targeted;
}

const countSchema = z.number().int().nonnegative();

/**
 * A job's totals as a sender hands them over: counts left out are 0, and `skipped` left out is
 * the sum of `skippedBy`. The reasons must not add up to more than the skips.
 */
export const jobCountsSchema = z
  .object({
    sent: countSchema.default(0),
    failed: countSchema.default(0),
    skipped: countSchema.optional(),
    skippedBy: z.partialRecord(skipReasonSchema, countSchema).default({}),
    costMicros: countSchema.default(0),
    costCurrency: z.string().min(1).optional(),
  })
  .strict()
  .transform((counts): JobTotals => {
    const byReason = Object.values(counts.skippedBy).reduce((sum, count) => sum + (count ?? 0), 0);
    return { ...counts, skipped: counts.skipped ?? byReason, costCurrency: counts.costCurrency };
  })
  .refine((totals) => Object.values(totals.skippedBy).reduce((sum, count) => sum + (count ?? 0), 0) <= totals.skipped, {
    path: ['skippedBy'],
    message: 'the skips by reason add up to more than skipped',
  });
export type JobCounts = z.input<typeof jobCountsSchema>;

export interface JobProgress {
  broadcastId: string;
  /** The SQS message id of the send job: the same on every redelivery of it. */
  jobId: string;
  /**
   * The job's TOTALS so far, over every run of it (not what this run added): a run that met
   * recipients an earlier run of the job had done counts them too, with `recountJob`. The job's
   * record is replaced by these, so they must never leave out what an earlier run counted.
   */
  delta: JobCounts;
  /** Becomes the counters' lastProgressAt. */
  at: string;
}

export interface JobProgressOutcome {
  /** False when the job's record already held a later run's larger totals: nothing was added. */
  counted: boolean;
  /** True when this progress finished the broadcast (moved it to sent). */
  completed: boolean;
}

/**
 * Records one send job's totals (idempotent: a redelivery with the same totals adds nothing),
 * adds to the fast counters only what changed since the job's last record, then checks whether
 * the broadcast is done. Writes: one PUT for the job, one ADD for the counters (none when nothing
 * changed), per batch.
 */
export async function recordJobProgress(stores: Stores, progress: JobProgress): Promise<JobProgressOutcome> {
  const parsed = jobCountsSchema.safeParse(progress.delta);
  if (!parsed.success) {
    throw new ValidationError(
      `the totals of job ${progress.jobId} are not valid`,
      parsed.error.issues.map((issue) => ({ field: ['delta', ...issue.path].join('.'), message: issue.message })),
    );
  }
  const totals = parsed.data;
  const recording = await stores.broadcasts.recordJob(progress.broadcastId, progress.jobId, totals, progress.at);
  if (!recording.recorded) return { counted: false, completed: false };
  const change = totalsChange(totals, recording.previous ?? emptyTotals());
  if (!isUnchanged(change)) {
    const after = await stores.broadcasts.addCounts(progress.broadcastId, change, progress.at);
    if (!after) logger.warn('job progress for a broadcast without counters', { broadcastId: progress.broadcastId, jobId: progress.jobId });
  }
  // Checked even when nothing changed: the run that made the change may have died before its check.
  const broadcast = await stores.broadcasts.get(progress.broadcastId);
  return { counted: true, completed: broadcast !== undefined && (await completeIfDone(stores, broadcast)) };
}

/**
 * Marks the broadcast sent if the fast counters (as `broadcast` holds them, just read or just
 * written) say it is done AND the exact rollup agrees. True when the rollup accounted for every
 * recipient (so the broadcast is sent now, by this call or a concurrent one).
 */
export async function completeIfDone(stores: StoresWithSubscribers<unknown>, broadcast: Broadcast): Promise<boolean> {
  if (broadcast.status !== 'sending' || !isComplete(broadcast)) return false;
  return (await settleFromJobs(stores, broadcast)).settled;
}

export type Settlement =
  | { settled: true }
  | {
      settled: false;
      /** Targeted recipients no job has an outcome for (in a dead-letter queue, or still queued). */
      unaccounted: number;
      /** Fan-out tasks not finished. */
      fanOutPending: number;
      /** Jobs that have recorded totals. */
      jobs: number;
    };

/**
 * The exact rollup: sums every job's totals; if the fan-out is done and they account for every
 * targeted recipient, sets the fast counters to them (absolute, so they are exact even after a
 * crash left them short) and moves the broadcast from sending to sent. Counters first: a crash
 * before the move leaves it sending, for the next check to finish. Delivered and undelivered stay
 * as receipts counted them.
 */
export async function settleFromJobs(stores: StoresWithSubscribers<unknown>, broadcast: Broadcast): Promise<Settlement> {
  const { jobs, totals } = await stores.broadcasts.sumOfJobs(broadcast.id);
  const unaccounted = Math.max(0, broadcast.counts.targeted - recipientsDone(totals));
  if (broadcast.fanOutPending > 0 || unaccounted > 0) return { settled: false, unaccounted, fanOutPending: broadcast.fanOutPending, jobs };
  await stores.broadcasts.settleCounts(broadcast.id, totals);
  await stores.broadcasts.transition(broadcast.id, ['sending'], 'sent');
  return { settled: true };
}
