import { decodeSortKeyCursor, encodeSortKeyCursor } from './page-cursor.js';

/**
 * The cursor of the audit log's listing, newest first: where the last page stopped, as
 * `<ISO time>#<record id>` (which sorts as the log does). One the log did not give is refused as
 * bad input.
 */
export function auditPosition(entry: { at: string; id: string }): string {
  return `${entry.at}#${entry.id}`;
}

export function encodeAuditCursor(position: string): string {
  return encodeSortKeyCursor(position);
}

export function decodeAuditCursor(cursor: string): string {
  return decodeSortKeyCursor(cursor, /^\d{4}-\d{2}-\d{2}T[^#]+#.+$/);
}
