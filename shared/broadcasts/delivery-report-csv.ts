import type { DeliveryReportRow } from './delivery-report-rows.js';

export const deliveryReportColumns = ['number', 'channel', 'status', 'time', 'reason'] as const satisfies readonly (keyof DeliveryReportRow)[];

/**
 * A cell a spreadsheet would run as a formula (it starts with = + - @, or a tab or carriage
 * return, which some applications strip before looking) is prefixed with an apostrophe, which
 * spreadsheets take as "this is text", as OWASP advises for CSV injection. A number in full
 * (+44…) is shown as text that way too, rather than turned into 4.47701E+11.
 */
export function neutralised(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180: a field with a comma, quote or line break goes in quotes, its quotes doubled. */
export function quoted(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * The report as CSV: a header line, then one line per row, CRLF line ends (RFC 4180). Written by
 * hand: the quoting is these few lines, and csv-stringify is not among the project's dependencies
 * (csv-parse, its sibling, is; the tests read the output back with it).
 */
export function deliveryReportCsv(rows: readonly DeliveryReportRow[], options: { header?: boolean } = {}): string {
  const lines = rows.map((row) => deliveryReportColumns.map((column) => quoted(neutralised(row[column]))).join(','));
  return [...(options.header === false ? [] : [deliveryReportColumns.join(',')]), ...lines].map((line) => `${line}\r\n`).join('');
}
