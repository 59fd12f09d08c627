import { ValidationError } from '../domain/errors.js';

/**
 * The cursor of the broadcasts' listing: where the last page stopped (the last broadcast's
 * creation time and id, newest first), opaque to clients. One that the listing did not give is
 * refused as bad input naming the cursor, rather than read from.
 */
export function encodeBroadcastCursor(position: string): string {
  return Buffer.from(position).toString('base64url');
}

/** Where a broadcast sits in the listing: `<created at>#<broadcast id>`, which sorts as the listing does. */
export function listingPosition(broadcast: { createdAt: string; id: string }): string {
  return `${broadcast.createdAt}#${broadcast.id}`;
}

/** The position a cursor holds (see listingPosition). */
export function decodeBroadcastCursor(cursor: string): string {
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d\d-\d\dT[^#]+#\w+$/.test(position)) {
    throw new ValidationError('the cursor is not valid', [{ field: 'cursor', message: 'is not a cursor this listing gave' }]);
  }
  return position;
}
