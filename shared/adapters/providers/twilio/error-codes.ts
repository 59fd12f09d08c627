import type { ProviderErrorKind } from '../../../domain/errors.js';

/**
 * Twilio error codes (https://www.twilio.com/docs/api/errors) in the terms the sender acts on.
 * Most arrive synchronously from `POST /Messages` (2xxxx, 21xxx, 63016…); the 30xxx delivery
 * codes usually arrive later as a status callback's `ErrorCode`, and are here so a receipt can
 * be classified with the same table. A code not listed falls back to the HTTP status
 * (see `twilioErrorKind`).
 */
export const twilioErrorCodeKinds = {
  // Rate limits: Twilio never processed the request, so a later retry is safe.
  20429: 'throttled', // Too many requests (REST API concurrency)
  21611: 'throttled', // This 'From' number has exceeded the maximum number of queued messages
  30001: 'throttled', // Queue overflow: sent faster than the sender's throughput
  63017: 'throttled', // Rate limit exceeded (account-wide messages per second)
  63018: 'throttled', // Rate limit exceeded for channel (WhatsApp sender messaging limit)

  // Twilio's own failures; its docs advise sending again.
  20500: 'connectionFailed', // Internal server error
  20503: 'connectionFailed', // Service unavailable
  30500: 'connectionFailed', // Twilio internal error while processing the message

  // The recipient told the carrier or Twilio to stop: record it, never retry.
  21610: 'recipientOptedOut', // Attempt to send to an unsubscribed recipient (replied STOP)
  63014: 'recipientOptedOut', // Channel message blocked by user action (blocked us on WhatsApp)

  // Not a number we can deliver to.
  21211: 'invalidRecipient', // Invalid 'To' phone number
  21265: 'invalidRecipient', // 'To' number cannot be a short code
  // "Cannot be sent with the current combination of To and From": our sender is fixed per
  // deployment, so this means this destination is unreachable from us, not a config error.
  21612: 'invalidRecipient',
  21614: 'invalidRecipient', // 'To' number is not a valid mobile number
  21635: 'invalidRecipient', // 'To' number cannot be a landline
  // Handset off or out of coverage. Twilio suggests a later manual retry; an automatic retry
  // minutes later would usually fail again, so it is recorded as undeliverable this time.
  30003: 'invalidRecipient',
  30005: 'invalidRecipient', // Unknown destination handset (number not in service)
  30006: 'invalidRecipient', // Landline or unreachable carrier
  63003: 'invalidRecipient', // Channel could not find the To address (not on WhatsApp)
  63024: 'invalidRecipient', // Invalid message recipient (WhatsApp)

  // WhatsApp free text outside the 24-hour customer service window.
  63016: 'windowClosed',

  // Our credentials, account or senders are wrong: every message would fail the same way.
  20003: 'misconfigured', // Authentication failed (wrong account SID or auth token)
  20404: 'misconfigured', // Resource not found (wrong account SID in the URL)
  21408: 'misconfigured', // Permission to send to this region is not enabled (geo permissions)
  21603: 'misconfigured', // A 'From' or 'MessagingServiceSid' is required
  21606: 'misconfigured', // 'From' is not a message-capable Twilio number for this account
  21608: 'misconfigured', // Trial account: 'To' is not a verified number
  21659: 'misconfigured', // 'From' is not a Twilio phone number
  21660: 'misconfigured', // 'From' number belongs to another account
  21701: 'misconfigured', // The Messaging Service does not exist
  21705: 'misconfigured', // The Messaging Service is invalid
  30002: 'misconfigured', // Account suspended
  63007: 'misconfigured', // No channel (WhatsApp sender) with the specified 'From' address

  // Refused for good: retrying the same message would be refused again.
  21602: 'rejected', // Message body is required
  21617: 'rejected', // Body exceeds the 1600 character limit
  30004: 'rejected', // Message blocked (by the destination or its carrier)
  30007: 'rejected', // Message filtered by the carrier (content looks like spam)
  // Unknown error at delivery: reported after Twilio accepted the message, so sending again
  // would be a second message, not a retry of this one.
  30008: 'rejected',
  63032: 'rejected', // WhatsApp will not deliver to this user (a WhatsApp limitation)
} as const satisfies Record<number, ProviderErrorKind>;

export type KnownTwilioErrorCode = keyof typeof twilioErrorCodeKinds;

const codeKinds: Readonly<Record<number, ProviderErrorKind>> = twilioErrorCodeKinds;

/**
 * What a failed Twilio request means. The Twilio code is the more specific signal and wins; an
 * unlisted code falls back to the HTTP status; no status at all means the request never got an
 * answer (refused, reset, timed out).
 */
export function twilioErrorKind(httpStatus: number | undefined, code: number | undefined): ProviderErrorKind {
  if (code !== undefined) {
    const kind = codeKinds[code];
    if (kind !== undefined) return kind;
  }
  if (httpStatus === undefined) return 'connectionFailed';
  if (httpStatus === 429) return 'throttled';
  if (httpStatus === 408 || httpStatus >= 500) return 'connectionFailed';
  // 401/403: credentials; 404: the account in the URL does not exist for these credentials.
  if (httpStatus === 401 || httpStatus === 403 || httpStatus === 404) return 'misconfigured';
  return 'rejected';
}
