import { decodeSortKeyCursor, encodeSortKeyCursor } from '../platform/page-cursor.js';

/**
 * The cursor of the broadcasts' listing: where the last page stopped (the last broadcast's
 * creation time and id, newest first), opaque to clients. One that the listing did not give is
 * refused as bad input naming the cursor, rather than read from.
 */
export function encodeBroadcastCursor(position: string): string {
  return encodeSortKeyCursor(position);
}

/** Where a broadcast sits in the listing: `<created at>#<broadcast id>`, which sorts as the listing does. */
export function listingPosition(broadcast: { createdAt: string; id: string }): string {
  return `${broadcast.createdAt}#${broadcast.id}`;
}

/** The position a cursor holds (see listingPosition). */
export function decodeBroadcastCursor(cursor: string): string {
  return decodeSortKeyCursor(cursor, /^\d{4}-\d\d-\d\dT[^#]+#\w+$/);
}
