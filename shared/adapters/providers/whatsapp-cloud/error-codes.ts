import type { ProviderErrorKind } from '../../../domain/errors.js';

/**
 * Meta WhatsApp Cloud API error codes (WhatsApp Business Platform, "Error codes"; Graph API error
 * handling) in the terms the sender acts on. Meta advises building on `code` (and `details`),
 * never on titles or messages. The same codes arrive synchronously in a Graph API error answer
 * (`{ error: { message, type, code, error_subcode, fbtrace_id } }`) or later in a `failed` status
 * webhook's `errors[0].code`, so a receipt can be classified with this table too. A code not
 * listed falls back to the HTTP status (see `whatsappCloudErrorKind`).
 */
export const whatsappCloudErrorCodeKinds = {
  // Rate limits: Meta did not take the message, so a later retry is safe.
  4: 'throttled', // API Too Many Calls (the app's Graph API call rate)
  80007: 'throttled', // Rate limit issues (the WhatsApp Business Account's call rate)
  130429: 'throttled', // Rate limit hit: the number's messages-per-second throughput
  131056: 'throttled', // (Business, Consumer) pair rate limit: too many messages to this one resident, too fast

  // Meta's own failures; its docs advise trying again.
  1: 'connectionFailed', // API Unknown: possibly a temporary outage
  2: 'connectionFailed', // API Service: temporary downtime or overload
  131000: 'connectionFailed', // Something went wrong (an unknown error at Meta)
  131016: 'connectionFailed', // Service unavailable: a service is temporarily unavailable
  131057: 'connectionFailed', // Business account is in maintenance mode (e.g. a throughput upgrade)

  /*
   * The resident told WhatsApp to stop marketing messages from this business. It only ever comes
   * back for a template in the Marketing category, but it is the resident's own choice about us,
   * like Twilio's 63014 (blocked): recorded as a WhatsApp opt-out (consent log, no retries),
   * which the resident undoes by texting JOIN again. Sending them anything else unasked on this
   * channel would be a worse mistake for a public service than one alert missed.
   */
  131050: 'recipientOptedOut',

  // Not someone we can deliver to on WhatsApp.
  131021: 'invalidRecipient', // Recipient cannot be the sender
  // Undeliverable: not on WhatsApp, has not accepted the current terms, or too old an app.
  // Meta advises against retrying; recorded as undeliverable for this message.
  131026: 'invalidRecipient',

  // Free text outside the 24-hour customer service window: only a template may be sent.
  131047: 'windowClosed',

  // Our token, app, number or account is wrong: every message would fail the same way.
  0: 'misconfigured', // AuthException: the token could not be used
  3: 'misconfigured', // API Method: the app lacks the capability or permission
  10: 'misconfigured', // Permission denied (whatsapp_business_messaging not granted or revoked)
  190: 'misconfigured', // Access token has expired (or was invalidated)
  200: 'misconfigured', // API permission not granted or removed (the 200–299 range)
  368: 'misconfigured', // Temporarily blocked for policy violations
  131005: 'misconfigured', // Access denied: permission not granted or removed
  131030: 'misconfigured', // Recipient not in the allowed list (a test number before go-live)
  131031: 'misconfigured', // Business account locked (policy or verification)
  131042: 'misconfigured', // Business eligibility payment issue (no valid payment method)
  131045: 'misconfigured', // Incorrect certificate: the phone number is not registered
  132001: 'misconfigured', // Template does not exist in that language, or is not approved: fix the broadcast's template
  133010: 'misconfigured', // Phone number not registered on the Cloud API

  // Refused for good: sending the same message again would be refused again.
  100: 'rejected', // Invalid parameter (a malformed request; see error_subcode)
  131008: 'rejected', // Required parameter is missing
  131009: 'rejected', // Parameter value is not valid
  // Spam rate limit: the number is restricted because earlier messages were blocked or reported.
  // Retrying in minutes would only add to it, so the message is recorded, not retried.
  131048: 'rejected',
  // Not delivered "to maintain healthy ecosystem engagement": the resident has had their share of
  // marketing templates. Meta advises waiting at least 24 hours: far beyond a queue retry.
  131049: 'rejected',
  131051: 'rejected', // Unsupported message type
  132000: 'rejected', // Template parameter count does not match the template
  132005: 'rejected', // Template hydrated text too long
  132007: 'rejected', // Template format character policy violated
  132012: 'rejected', // Template parameter format mismatch
  132015: 'rejected', // Template is paused (low quality)
  132016: 'rejected', // Template is disabled (paused too often)
} as const satisfies Record<number, ProviderErrorKind>;

export type KnownWhatsAppCloudErrorCode = keyof typeof whatsappCloudErrorCodeKinds;

/**
 * Codes whose meaning depends on the Graph API `error_subcode`, written `code/subcode`; these win
 * over the code alone.
 */
export const whatsappCloudErrorSubcodeKinds = {
  // "Unsupported post request. Object with ID … does not exist": the phone number ID is wrong.
  '100/33': 'misconfigured',
} as const satisfies Record<`${number}/${number}`, ProviderErrorKind>;

const codeKinds: Readonly<Record<number, ProviderErrorKind>> = whatsappCloudErrorCodeKinds;
const subcodeKinds: Readonly<Record<string, ProviderErrorKind>> = whatsappCloudErrorSubcodeKinds;

/**
 * What a failed Graph API request means: the code (with its subcode) is the more specific signal
 * and wins; an unlisted code falls back to the HTTP status.
 */
export function whatsappCloudErrorKind(httpStatus: number, code: number | undefined, subcode?: number): ProviderErrorKind {
  if (code !== undefined) {
    const bySubcode = subcode === undefined ? undefined : subcodeKinds[`${code}/${subcode}`];
    if (bySubcode !== undefined) return bySubcode;
    const kind = codeKinds[code];
    if (kind !== undefined) return kind;
    // 200–299: permissions of the app, all alike.
    if (code >= 200 && code <= 299) return 'misconfigured';
  }
  if (httpStatus === 429) return 'throttled';
  if (httpStatus === 408 || httpStatus >= 500) return 'connectionFailed';
  if (httpStatus === 401 || httpStatus === 403 || httpStatus === 404) return 'misconfigured';
  return 'rejected';
}
