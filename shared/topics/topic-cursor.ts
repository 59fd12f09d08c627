import { ValidationError } from '../domain/errors.js';

/**
 * The cursor of the topics' pages: the last topic a page gave (as `TOPIC#<id>`, the shape the
 * listing has always handed out), opaque to clients. One the listing did not give is refused as
 * bad input naming the cursor, rather than read from.
 */
export function encodeTopicCursor(topicId: string): string {
  return Buffer.from(`TOPIC#${topicId}`).toString('base64url');
}

/** The id of the last topic the page before gave. */
export function decodeTopicCursor(cursor: string): string {
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!position.startsWith('TOPIC#')) {
    throw new ValidationError('the cursor is not valid', [{ field: 'cursor', message: 'is not a cursor this listing gave' }]);
  }
  return position.slice('TOPIC#'.length);
}
