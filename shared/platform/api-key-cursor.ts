import { decodeSortKeyCursor, encodeSortKeyCursor } from './page-cursor.js';

/**
 * The cursor of the API keys' listing: the last key a page gave (as `KEY#<id>`, the shape the
 * listing has always handed out). One the listing did not give is refused as bad input.
 */
export function encodeApiKeyCursor(keyId: string): string {
  return encodeSortKeyCursor(`KEY#${keyId}`);
}

/** The id of the last key the page before gave. */
export function decodeApiKeyCursor(cursor: string): string {
  return decodeSortKeyCursor(cursor, /^KEY#/).slice('KEY#'.length);
}
