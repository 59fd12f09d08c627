import { decodeSortKeyCursor, encodeSortKeyCursor } from '../platform/page-cursor.js';

/**
 * The cursor of the topics' pages: the last topic a page gave (as `TOPIC#<id>`, the shape the
 * listing has always handed out), opaque to clients. One the listing did not give is refused as
 * bad input naming the cursor, rather than read from.
 */
export function encodeTopicCursor(topicId: string): string {
  return encodeSortKeyCursor(`TOPIC#${topicId}`);
}

/** The id of the last topic the page before gave. */
export function decodeTopicCursor(cursor: string): string {
  return decodeSortKeyCursor(cursor, /^TOPIC#/).slice('TOPIC#'.length);
}
