import { fromMicros } from '../domain/costs.js';
import { neutralised, quoted } from '../broadcasts/delivery-report-csv.js';
import type { UsageRow } from './usage-rows.js';

export const usageCsvColumns = ['department', 'period', 'messages sent', 'counted against daily cap', 'estimated cost', 'of which replies', 'currency'] as const;

/**
 * Usage as CSV for a spreadsheet: one line per department and period, costs in the currency's
 * major unit (an ESTIMATE, as everywhere in crier), CRLF line ends; cells neutralised and quoted
 * as the delivery report's are.
 */
export function usageCsv(rows: readonly UsageRow[]): string {
  const lines = rows.map((row) =>
    [row.department, row.period, String(row.sent), String(row.countedAgainstCap), String(fromMicros(row.costMicros)), String(fromMicros(row.replyCostMicros)), row.currency]
      .map((cell) => quoted(neutralised(cell)))
      .join(','),
  );
  return [usageCsvColumns.join(','), ...lines].map((line) => `${line}\r\n`).join('');
}
