import { createHash } from 'node:crypto';

/**
 * The id of a resident's message in an inbox, as the API shows it: derived from the inbound
 * message (provider and its message id), so a provider's retry of the same message is the same
 * entry, and safe in a URL whatever characters the provider's ids use (WhatsApp's contain `.`
 * and `=`). 128 bits of sha256, base64url.
 */
export function inboxEntryId(provider: string, providerMessageId: string): string {
  return createHash('sha256').update(`${provider}:${providerMessageId}`).digest('base64url').slice(0, 22);
}

/** What an inbox entry id looks like, for validating one taken from a URL. */
export const inboxEntryIdPattern = /^[A-Za-z0-9_-]{22}$/;
