import { decodeSortKeyCursor, encodeSortKeyCursor } from '../platform/page-cursor.js';

/**
 * The cursor of the staff listing: the last person a page gave (as `STAFF#<id>`, the shape the
 * listing has always handed out), opaque to clients. One the listing did not give is refused as
 * bad input naming the cursor, rather than read from.
 */
export function encodeStaffCursor(staffId: string): string {
  return encodeSortKeyCursor(`STAFF#${staffId}`);
}

/** The id of the last person the page before gave. */
export function decodeStaffCursor(cursor: string): string {
  return decodeSortKeyCursor(cursor, /^STAFF#/).slice('STAFF#'.length);
}
