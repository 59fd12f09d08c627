/**
 * Twilio webhooks: signature check and parsing of inbound messages and status callbacks.
 *
 * A form is refused (400) only when it is not Twilio's at all: no MessageSid (and, for a resident's
 * message, no AccountSid) to say what it is. Anything else in a signed form that crier cannot act
 * on (a short code or alphanumeric sender, a picture with no text, a status it does not know) is
 * skipped with its reason and answered 200, so Twilio does not retry it or log it as an error.
 *
 * Imports only the SDK's webhooks module, not the `twilio` barrel: that module needs nothing but
 * node's crypto/url/querystring, so the webhook functions stay a few kB instead of carrying the
 * whole ~4 MB REST client. The `.js` suffix is needed for Node's own ESM resolver (the package
 * has no `exports` map); tsx, vitest and esbuild accept it too.
 */
import type { CountryCode } from 'libphonenumber-js';
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { z } from 'zod';
import { ValidationError, type FieldIssue } from '../../../domain/errors.js';
import type { InboundText } from '../../../domain/inbound.js';
import type { Channel } from '../../../domain/model.js';
import { toE164 } from '../../../domain/phone.js';
import type { SkippedItemKind, WebhookBatch } from '../../../ports/provider-webhooks.js';
import { emptyWebhookBatch } from '../webhook-context.js';
import { twilioMessageStatusSchema, twilioStatusToMessageStatus } from './status-mapping.js';

/** A decoded `application/x-www-form-urlencoded` body; a repeated key may carry several values. */
export type TwilioFormParams = Readonly<Record<string, string | readonly string[]>>;

const WHATSAPP_PREFIX = 'whatsapp:';

/**
 * True when `signature` (the `X-Twilio-Signature` header) is Twilio's HMAC of `url` and `params`
 * under our auth token. `url` must be the URL Twilio was configured to call (PUBLIC_BASE_URL +
 * path + query), not the one a proxy or API Gateway rewrote. Constant-time comparison is the SDK's.
 */
export function verifyTwilioSignature(input: {
  authToken: string;
  signature: string | undefined;
  url: string;
  params: TwilioFormParams;
}): boolean {
  const { authToken, signature, url, params } = input;
  if (!authToken || !signature) return false;
  try {
    return validateRequest(authToken, signature, url, params);
  } catch {
    // validateRequest parses `url` with `new URL()` and throws on a malformed one.
    return false;
  }
}

/** The `X-Twilio-Signature` Twilio would send for this request: for tests and the sandbox. */
export function signTwilioRequest(authToken: string, url: string, params: TwilioFormParams): string {
  return getExpectedTwilioSignature(authToken, url, params);
}

/** Strips the channel prefix of a Twilio address: `whatsapp:+44…` is WhatsApp, a bare number SMS. */
function splitAddress(address: string): { channel: Channel; address: string } | undefined {
  if (address.startsWith(WHATSAPP_PREFIX)) return { channel: 'whatsapp', address: address.slice(WHATSAPP_PREFIX.length) };
  // Other channels Twilio relays (messenger:, rcs:, …) are not ones crier serves.
  if (/^[a-z]+:/i.test(address)) return undefined;
  return { channel: 'sms', address };
}

/** A single form value; a missing one and a repeated one get distinct, readable messages. */
function formField() {
  return z.string({
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be a single text value'),
  });
}

const messageSidField = formField().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'must look like SM or MM followed by 32 hex digits');
const accountSidField = formField().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits');

/** What makes a form Twilio's incoming-message webhook: without these, it is refused. */
const inboundEnvelopeSchema = z.looseObject({ MessageSid: messageSidField, AccountSid: accountSidField });
/** What makes a form Twilio's status callback. */
const statusEnvelopeSchema = z.looseObject({ MessageSid: messageSidField });

/** A form value that may be absent, empty or (wrongly) repeated: only a single non-empty value counts. */
function single(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A short code (3 to 8 digits) or an alphanumeric sender id (letters, up to 11 characters). */
const SHORT_CODE = /^\d{3,8}$/;
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ._-]{1,11}$/;

type Sender = { e164: InboundText['from']; channel: Channel } | { skip: string };

/**
 * Who sent it (E.164), or why crier cannot answer this sender; never echoes the address. A WhatsApp
 * sender Twilio names by something other than a number (Meta's user ids, once Twilio relays them)
 * falls under "not a valid phone number": recorded and skipped like any such sender.
 */
function readSender(from: string | undefined, defaultCountry: CountryCode): Sender {
  if (from === undefined) return { skip: 'a message with no From' };
  const split = splitAddress(from);
  if (!split) return { skip: 'a sender on a channel crier does not serve (only SMS and WhatsApp)' };
  const e164 = toE164(split.address, defaultCountry);
  if (e164) return { e164, channel: split.channel };
  if (SHORT_CODE.test(split.address)) return { skip: 'a sender that is a short code, not a phone number crier could answer' };
  if (ALPHANUMERIC_SENDER.test(split.address)) return { skip: 'a sender that is an alphanumeric sender id, not a phone number crier could answer' };
  return { skip: "the sender's number is not a valid phone number" };
}

/** Set only when a Messaging Service with Advanced Opt-Out recognised the keyword and already answered. */
function optOutType(value: unknown): InboundText['providerHandledOptOut'] {
  const type = single(value)?.toUpperCase();
  // Another value (Twilio may add some) is not one crier knows to have been answered: the body is routed as usual.
  return type === 'STOP' || type === 'START' || type === 'HELP' ? type : undefined;
}

function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message }));
}

function skipped(kind: SkippedItemKind, id: string, reason: string): WebhookBatch {
  return { ...emptyWebhookBatch(), skipped: [{ path: 'form', id, kind, reason }] };
}

/**
 * Parses Twilio's incoming-message webhook: the resident's text, or why it is skipped. `from` comes
 * out in E.164 (numbers in national form are read as numbers of `defaultCountry`). Throws
 * ValidationError, naming the fields, only when the form lacks the MessageSid and AccountSid that
 * make it Twilio's.
 */
export function parseTwilioInbound(params: Readonly<Record<string, unknown>>, defaultCountry: CountryCode): WebhookBatch {
  const envelope = inboundEnvelopeSchema.safeParse(params);
  if (!envelope.success) throw new ValidationError('invalid Twilio inbound message webhook', fieldIssues(envelope.error));
  const id = envelope.data.MessageSid;

  const sender = readSender(single(params.From), defaultCountry);
  if ('skip' in sender) return skipped('message', id, sender.skip);
  // Our own number (or short code / sender id): not re-validated, only stripped of its prefix.
  const toField = single(params.To);
  if (toField === undefined) return skipped('message', id, 'a message with no To (the number it was sent to)');
  const to = splitAddress(toField)?.address ?? toField;
  const body = single(params.Body) ?? '';
  const providerHandledOptOut = optOutType(params.OptOutType);
  if (!body.trim() && providerHandledOptOut === undefined) {
    const media = Number(single(params.NumMedia) ?? '0') > 0;
    return skipped('message', id, media ? 'a picture or other media with no text: crier keeps no media and acts on text only' : 'an empty message');
  }
  const inbound: InboundText = { provider: 'twilio', providerMessageId: id, from: sender.e164, channel: sender.channel, to, body };
  if (providerHandledOptOut !== undefined) inbound.providerHandledOptOut = providerHandledOptOut;
  return { ...emptyWebhookBatch(), inbound: [inbound] };
}

/**
 * Parses a Twilio status callback: a receipt, or why it is skipped. `messageIdFromUrl` is crier's
 * own message id, which the adapter put in the status callback URL. Throws ValidationError only
 * when the form has no MessageSid.
 */
export function parseTwilioStatus(params: Readonly<Record<string, unknown>>, messageIdFromUrl: string | undefined): WebhookBatch {
  const envelope = statusEnvelopeSchema.safeParse(params);
  if (!envelope.success) throw new ValidationError('invalid Twilio status callback', fieldIssues(envelope.error));
  const id = envelope.data.MessageSid;
  const status = twilioMessageStatusSchema.safeParse(single(params.MessageStatus));
  if (!status.success) {
    return skipped('status', id, params.MessageStatus === undefined ? 'a status callback with no MessageStatus' : 'a MessageStatus crier does not know');
  }
  const errorCode = single(params.ErrorCode);
  return {
    ...emptyWebhookBatch(),
    receipts: [
      {
        provider: 'twilio',
        providerMessageId: id,
        messageId: messageIdFromUrl,
        status: twilioStatusToMessageStatus[status.data],
        // Twilio's codes are numeric; anything else is not one crier can look up, so it is left out.
        errorCode: errorCode !== undefined && /^\d+$/.test(errorCode) ? errorCode : undefined,
      },
    ],
  };
}
