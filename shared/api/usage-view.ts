import { costView } from './costs.js';
import type { UsageReport } from '../usage/usage-report.js';
import type { UsageRow } from '../usage/usage-rows.js';

/** A usage row as the API shows it: costs in pounds and exact micro-units, as everywhere. */
export function usageRowView(row: UsageRow) {
  return {
    department: row.department,
    period: row.period,
    sent: row.sent,
    countedAgainstCap: row.countedAgainstCap,
    cost: costView({ currency: row.currency, estimatedMicros: row.costMicros }),
    replies: costView({ currency: row.currency, estimatedMicros: row.replyCostMicros }),
  };
}

export function usageView(report: UsageReport) {
  return { from: report.from, to: report.to, by: report.by, departments: report.departments, rows: report.rows.map(usageRowView) };
}

/** The CSV's file name: what and when, so a download a month later still says what it holds. */
export function usageFileName(report: UsageReport, department: string | undefined): string {
  return `usage-${department ?? 'all'}-by-${report.by}-${report.from}-to-${report.to}.csv`;
}
