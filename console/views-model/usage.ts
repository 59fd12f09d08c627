import { fromMicros } from '../../shared/domain/costs.js';
import type { EffectiveLimits } from '../../shared/usage/department-limits.js';
import type { UsageReport } from '../../shared/usage/usage-report.js';
import { usageTotals, type UsageRow } from '../../shared/usage/usage-rows.js';
import { count, money } from './format.js';

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "March 2025" for a month, "Tuesday 4 March 2025" for a day: as a person reads the period. */
export function periodLabel(period: string): string {
  const [year, month, day] = period.split('-').map(Number) as [number, number, number | undefined];
  if (day === undefined) return `${monthNames[month - 1]} ${year}`;
  const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, day)));
  return `${weekday} ${day} ${monthNames[month - 1]} ${year}`;
}

function rowView(row: Omit<UsageRow, 'period'> & { period?: string }) {
  return {
    department: row.department,
    period: row.period === undefined ? 'Total' : periodLabel(row.period),
    sent: count(row.sent),
    countedAgainstCap: count(row.countedAgainstCap),
    cost: money(fromMicros(row.costMicros), row.currency),
    replies: money(fromMicros(row.replyCostMicros), row.currency),
  };
}

/** The usage table's rows, newest period first (as Notify lists them), then each department's total. */
export function usageTable(report: UsageReport) {
  return {
    rows: [...report.rows].sort((a, b) => b.period.localeCompare(a.period) || a.department.localeCompare(b.department)).map(rowView),
    totals: usageTotals(report.rows).map(rowView),
  };
}

/** A department's limits as its summary list says them, with where each comes from. */
export function limitsView(limits: EffectiveLimits & { usedToday: number }) {
  const source = (which: 'department' | 'deployment') => (which === 'deployment' ? " (the deployment's default)" : '');
  return {
    department: limits.department,
    dailyCap:
      (limits.dailyMessageCap === 0 ? 'No daily cap' : `${count(limits.dailyMessageCap)} messages a day`) + source(limits.source.dailyMessageCap),
    usedToday:
      limits.dailyMessageCap === 0
        ? `${count(limits.usedToday)} messages`
        : `${count(limits.usedToday)} of ${count(limits.dailyMessageCap)} messages (${count(Math.max(0, limits.dailyMessageCap - limits.usedToday))} left)`,
    approval:
      (limits.operatorApprovalAbove === 0 ? 'Never' : `Broadcasts to more than ${count(limits.operatorApprovalAbove)} residents`) + source(limits.source.operatorApprovalAbove),
  };
}
