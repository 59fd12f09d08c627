import { ValidationError } from '../domain/errors.js';

/**
 * The cursor of a broadcast's message listing: the last message id a page returned, opaque to
 * clients. A broadcast's message ids all start with its id (see broadcastMessageId), so a cursor
 * from another broadcast, or none a listing gave, is refused as bad input rather than read from.
 */
export function encodeMessageCursor(messageId: string): string {
  return Buffer.from(messageId).toString('base64url');
}

export function decodeMessageCursor(cursor: string, broadcastId: string): string {
  const messageId = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!messageId.startsWith(`${broadcastId}-`) || !/^[0-9A-Za-z-]{1,100}$/.test(messageId)) {
    throw new ValidationError('the cursor is not valid', [{ field: 'cursor', message: "is not a cursor this broadcast's report gave" }]);
  }
  return messageId;
}
