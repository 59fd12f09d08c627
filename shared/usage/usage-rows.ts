import type { DepartmentDayUsage } from './department-store.js';

/** How usage is summed: each day, or each calendar month (GOV.UK Notify's usage page shows both). */
export type UsagePeriod = 'day' | 'month';

/** One department's usage over one day or month. */
export interface UsageRow {
  department: string;
  /** `YYYY-MM-DD` for a day, `YYYY-MM` for a month. */
  period: string;
  sent: number;
  countedAgainstCap: number;
  costMicros: number;
  replyCostMicros: number;
  currency: string;
}

/** The period a day falls in. */
export function periodOf(day: string, by: UsagePeriod): string {
  return by === 'day' ? day : day.slice(0, 7);
}

/**
 * A department's day items summed per period, oldest first: pure, so the API, the page and the
 * CSV say the same. A day with no currency (nothing with a cost was sent) takes the deployment's.
 */
export function usageRows(department: string, days: readonly DepartmentDayUsage[], by: UsagePeriod, currency: string): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const day of days) {
    const period = periodOf(day.day, by);
    const row = rows.get(period) ?? { department, period, sent: 0, countedAgainstCap: 0, costMicros: 0, replyCostMicros: 0, currency: day.currency ?? currency };
    row.sent += day.sent;
    row.countedAgainstCap += day.countedAgainstCap;
    row.costMicros += day.costMicros;
    row.replyCostMicros += day.replyCostMicros;
    rows.set(period, row);
  }
  return [...rows.values()].sort((a, b) => a.period.localeCompare(b.period));
}

/** Each department's totals over the whole window, in the order the departments were given. */
export function usageTotals(rows: readonly UsageRow[]): Omit<UsageRow, 'period'>[] {
  const totals = new Map<string, Omit<UsageRow, 'period'>>();
  for (const { period: _period, ...row } of rows) {
    const total = totals.get(row.department) ?? { ...row, sent: 0, countedAgainstCap: 0, costMicros: 0, replyCostMicros: 0 };
    total.sent += row.sent;
    total.countedAgainstCap += row.countedAgainstCap;
    total.costMicros += row.costMicros;
    total.replyCostMicros += row.replyCostMicros;
    totals.set(row.department, total);
  }
  return [...totals.values()];
}
