import { createHash, createHmac } from 'node:crypto';

/**
 * Right to erasure (UK GDPR Art. 17). What is left behind is anonymous: records that other
 * records or a provider's retries still need (an inbound message's idempotency entry, an inbox
 * entry someone handled, a reply's delivery record) stay with this in place of the number and the
 * text; everything else goes.
 */
export const ERASED = '[erased]';

/**
 * The only form of an erased number that is kept: in the tombstone (so an import can refuse the
 * number) and in the audit log. Keyed (HMAC-SHA256 with the deployment's secret key), because
 * there are few enough phone numbers to hash them all: a bare hash of a number is the number to
 * anyone with a laptop, a keyed one is not without the key.
 */
export function keyedPhoneHash(key: string, phone: string): string {
  return createHmac('sha256', key).update(phone, 'utf8').digest('hex');
}

/** Hashes numbers with the deployment's key (fetched once, where it comes from a secret). */
export type PhoneHasher = (phone: string) => Promise<string>;

/** The audit log's name for an erased resident: the tombstone's keyed hash, marked as such. */
export function erasureReference(hash: string): string {
  return `hmac-sha256:${hash}`;
}

/**
 * How tombstones were keyed before they were keyed with a secret: a bare SHA-256. Only read,
 * never written, so that a number erased then still cannot be imported again.
 */
export function legacyPhoneHash(phone: string): string {
  return createHash('sha256').update(phone).digest('hex');
}
