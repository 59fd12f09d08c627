import { ValidationError } from '../domain/errors.js';

/**
 * A page cursor for listings: where the last page stopped (a sort key, in DynamoDB), opaque to
 * clients. The in-memory stores hand out the same, so the two cannot differ in what they accept.
 * Decoding checks the shape the listing writes, so a cursor from elsewhere is a 400, not a query
 * that starts somewhere odd.
 */
export function encodeSortKeyCursor(sortKey: unknown): string {
  return Buffer.from(String(sortKey)).toString('base64url');
}

export function decodeSortKeyCursor(cursor: string, expectedShape: RegExp): string {
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!expectedShape.test(sortKey)) {
    throw new ValidationError('the cursor is not valid', [{ field: 'cursor', message: 'is not a cursor this listing gave' }]);
  }
  return sortKey;
}

/**
 * Listings newest first by time (the audit log, the inbox): a position is `<ISO time>#<id>`,
 * which sorts as the listing does, since ISO times are all the same length.
 */
export function timeOrderedPosition(at: string, id: string): string {
  return `${at}#${id}`;
}

export function decodeTimeOrderedCursor(cursor: string): string {
  return decodeSortKeyCursor(cursor, /^\d{4}-\d{2}-\d{2}T[^#]+#.+$/);
}
