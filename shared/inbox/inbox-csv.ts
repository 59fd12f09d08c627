import { neutralised, quoted } from '../broadcasts/delivery-report-csv.js';
import type { InboxEntry } from './inbox-store.js';

export const inboxCsvColumns = ['received', 'number', 'channel', 'message', 'topic', 'broadcast', 'handled', 'handled_at', 'handled_by', 'assigned_to', 'replies', 'notes'] as const;
export type InboxCsvRow = Record<(typeof inboxCsvColumns)[number], string>;

/** One entry as a row: the number as the caller may see it (masked or whole), ids for who, never a note's words. */
export function inboxCsvRow(entry: InboxEntry): InboxCsvRow {
  return {
    received: entry.receivedAt,
    number: entry.from,
    channel: entry.channel,
    message: entry.body,
    topic: entry.topicId ?? '',
    broadcast: entry.broadcastId ?? '',
    handled: entry.handled ? 'yes' : 'no',
    handled_at: entry.handledAt ?? '',
    handled_by: entry.handledBy ?? '',
    assigned_to: entry.assignedTo ?? '',
    replies: String(entry.replies?.length ?? 0),
    notes: String(entry.notes?.length ?? 0),
  };
}

/**
 * The inbox as CSV (RFC 4180, CRLF), every cell neutralised as the delivery report's are (a
 * resident's text that starts with = is shown, never run by a spreadsheet): the same two
 * functions, so the rule is written once.
 */
export function inboxCsv(rows: readonly InboxCsvRow[]): string {
  const lines = rows.map((row) => inboxCsvColumns.map((column) => quoted(neutralised(row[column]))).join(','));
  return [inboxCsvColumns.join(','), ...lines].map((line) => `${line}\r\n`).join('');
}
