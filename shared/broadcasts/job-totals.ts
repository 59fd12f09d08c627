import type { SkipReason } from '../domain/model.js';

/**
 * What one send job (one SQS message of recipients) has come to, over every run of it: the
 * exact, per-job part of a broadcast's counters. `skipped` is every skip; `skippedBy` the same
 * skips by reason (a reason nobody was skipped for is absent).
 */
export interface JobTotals {
  sent: number;
  failed: number;
  skipped: number;
  skippedBy: Partial<Record<SkipReason, number>>;
  /** Whole micro-units of `costCurrency` (see costs.ts). */
  costMicros: number;
  /** Undefined while the job has sent nothing priced. */
  costCurrency: string | undefined;
}

export function emptyTotals(): JobTotals {
  return { sent: 0, failed: 0, skipped: 0, skippedBy: {}, costMicros: 0, costCurrency: undefined };
}

/** Recipients with an outcome: what a job's totals can only ever gain as its records move forward. */
export function recipientsDone(totals: Pick<JobTotals, 'sent' | 'failed' | 'skipped'>): number {
  return totals.sent + totals.failed + totals.skipped;
}

/** `a + sign × b`, field by field (reasons included); the currency is whichever is known. */
function combine(a: JobTotals, b: JobTotals, sign: 1 | -1): JobTotals {
  const skippedBy: Partial<Record<SkipReason, number>> = { ...a.skippedBy };
  for (const [reason, count] of Object.entries(b.skippedBy) as [SkipReason, number][]) {
    const combined = (skippedBy[reason] ?? 0) + sign * count;
    if (combined === 0) delete skippedBy[reason];
    else skippedBy[reason] = combined;
  }
  return {
    sent: a.sent + sign * b.sent,
    failed: a.failed + sign * b.failed,
    skipped: a.skipped + sign * b.skipped,
    skippedBy,
    costMicros: a.costMicros + sign * b.costMicros,
    costCurrency: a.costCurrency ?? b.costCurrency,
  };
}

export function addTotals(a: JobTotals, b: JobTotals): JobTotals {
  return combine(a, b, 1);
}

/** What moved from `before` to `after`: the difference a counter must take on. */
export function totalsChange(after: JobTotals, before: JobTotals): JobTotals {
  return combine(after, before, -1);
}

export function isUnchanged(change: JobTotals): boolean {
  return change.sent === 0 && change.failed === 0 && change.skipped === 0 && change.costMicros === 0 && Object.keys(change.skippedBy).length === 0;
}
