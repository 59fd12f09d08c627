import { createHash } from 'node:crypto';

/**
 * Right to erasure (UK GDPR Art. 17). What is left behind is anonymous: records that other
 * records or a provider's retries still need (an inbound message's idempotency entry, an inbox
 * entry someone handled, a reply's delivery record) stay with this in place of the number and the
 * text; everything else goes.
 */
export const ERASED = '[erased]';

/**
 * The only form of an erased number that is kept: its sha256, in the tombstone (so an import can
 * refuse the number) and in the audit log. Not meant to be secret (phone numbers are few enough to
 * hash them all), only to keep the number itself out of lists and logs.
 */
export function phoneHash(phone: string): string {
  return createHash('sha256').update(phone).digest('hex');
}
