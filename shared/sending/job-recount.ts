import { addTotals, emptyTotals, type JobTotals } from '../broadcasts/job-totals.js';
import type { Recipient } from '../domain/model.js';
import type { Stores } from '../ports/stores.js';
import type { MessageRecord } from './message-store.js';
import { broadcastMessageId } from './send-message.js';

/** How one message record counts towards its job. */
export type RecordOutcome = 'sent' | 'failed' | 'skipped' | 'in-flight';

/**
 * Sent means the provider took it: a provider message id, or a status only a sent message
 * reaches. So a message a receipt later calls undelivered or failed is still sent here (the
 * receipt counts it as undelivered), and a record's outcome never moves back. Failed is a failure
 * before the provider took it (including a claim settled as outcome unknown). A claim still
 * 'sending' has no outcome yet.
 */
export function outcomeOf(record: MessageRecord): RecordOutcome {
  if (record.status === 'skipped') return 'skipped';
  if (record.providerMessageId !== undefined) return 'sent';
  switch (record.status) {
    case 'sent':
    case 'delivered':
    case 'read':
    case 'undelivered':
      return 'sent';
    case 'failed':
      return 'failed';
    case 'queued':
    case 'sending':
      return 'in-flight';
  }
}

export interface JobRecount {
  /** The job's exact totals: what to hand recordJobProgress. */
  delta: JobTotals;
  /** Message ids the job has claimed whose outcome is not known yet (still 'sending'). */
  inFlight: string[];
}

/**
 * A send job's exact totals, counted again from the message records of its recipients (read
 * strongly, a hundred at a time). Only records that carry this job's id count: a recipient whose
 * record another job made (a page the fan-out queued twice) is that job's to count, so no
 * recipient is counted by two jobs.
 */
export async function recountJob(
  stores: Stores,
  job: { broadcastId: string; jobId: string; recipients: readonly Recipient[] },
): Promise<JobRecount> {
  const records = await stores.messages.getMany(job.recipients.map((recipient) => broadcastMessageId(job.broadcastId, recipient.phone)));
  let delta = emptyTotals();
  const inFlight: string[] = [];
  for (const record of records) {
    if (record.jobId !== job.jobId || record.broadcastId !== job.broadcastId) continue;
    const outcome = outcomeOf(record);
    if (outcome === 'in-flight') inFlight.push(record.messageId);
    else delta = addTotals(delta, totalsOfOne(record, outcome));
  }
  return { delta, inFlight };
}

function totalsOfOne(record: MessageRecord, outcome: Exclude<RecordOutcome, 'in-flight'>): JobTotals {
  const one = emptyTotals();
  one[outcome] = 1;
  if (outcome === 'skipped' && record.skipReason) one.skippedBy = { [record.skipReason]: 1 };
  if (outcome === 'sent' && record.cost) {
    one.costMicros = record.cost.estimatedMicros;
    one.costCurrency = record.cost.currency;
  }
  return one;
}
