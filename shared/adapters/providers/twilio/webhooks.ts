/**
 * Twilio webhooks: signature check and parsing of inbound messages and status callbacks.
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
import type { InboundText, StatusReport } from '../../../domain/inbound.js';
import type { Channel } from '../../../domain/model.js';
import { toE164, type E164 } from '../../../domain/phone.js';
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

/** A single form value; a missing one and a repeated one get distinct, readable messages. */
function formField() {
  return z.string({
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be a single text value'),
  });
}

/** Twilio sends some optional fields as an empty string; treat that as absent. */
function optionalFormField<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

const messageSidField = formField().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'must look like SM or MM followed by 32 hex digits');
const accountSidField = formField().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits');

/** Strips the channel prefix of a Twilio address: `whatsapp:+44…` is WhatsApp, a bare number SMS. */
function splitAddress(address: string): { channel: Channel; address: string } | undefined {
  if (address.startsWith(WHATSAPP_PREFIX)) return { channel: 'whatsapp', address: address.slice(WHATSAPP_PREFIX.length) };
  // Other channels Twilio relays (messenger:, rcs:, …) are not ones crier serves.
  if (/^[a-z]+:/i.test(address)) return undefined;
  return { channel: 'sms', address };
}

function inboundSchema(defaultCountry: CountryCode) {
  return z.object({
    MessageSid: messageSidField,
    AccountSid: accountSidField,
    From: formField().transform((value, ctx): { channel: Channel; e164: E164 } => {
      const split = splitAddress(value);
      if (!split) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not an SMS or WhatsApp address` });
        return z.NEVER;
      }
      const e164 = toE164(split.address, defaultCountry);
      if (!e164) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid phone number` });
        return z.NEVER;
      }
      return { channel: split.channel, e164 };
    }),
    // Our own number (or short code / sender id): not re-validated, only stripped of its prefix.
    To: formField()
      .min(1, 'is required')
      .transform((value) => splitAddress(value)?.address ?? value),
    // A media-only message has an empty Body; Twilio still sends the field.
    Body: formField().default(''),
    NumMedia: optionalFormField(formField().regex(/^\d+$/, 'must be a whole number')),
    // Present only when a Messaging Service with Advanced Opt-Out recognised the keyword and has
    // already answered the resident itself.
    OptOutType: optionalFormField(
      formField()
        .transform((value) => value.toUpperCase())
        .pipe(z.enum(['STOP', 'START', 'HELP'], { error: 'must be STOP, START or HELP' })),
    ),
  });
}

const statusSchema = z.object({
  MessageSid: messageSidField,
  AccountSid: optionalFormField(accountSidField),
  MessageStatus: formField().pipe(twilioMessageStatusSchema),
  ErrorCode: optionalFormField(formField().regex(/^\d+$/, 'must be a numeric Twilio error code')),
});

function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message }));
}

/**
 * Parses Twilio's incoming-message webhook. `from` comes out in E.164 (numbers in national form
 * are read as numbers of `defaultCountry`). Throws ValidationError naming each bad form field.
 */
export function parseTwilioInbound(params: Readonly<Record<string, unknown>>, defaultCountry: CountryCode): InboundText {
  const result = inboundSchema(defaultCountry).safeParse(params);
  if (!result.success) {
    throw new ValidationError('invalid Twilio inbound message webhook', fieldIssues(result.error));
  }
  const form = result.data;
  const inbound: InboundText = {
    provider: 'twilio',
    providerMessageId: form.MessageSid,
    from: form.From.e164,
    channel: form.From.channel,
    to: form.To,
    body: form.Body,
  };
  if (form.OptOutType !== undefined) inbound.providerHandledOptOut = form.OptOutType;
  return inbound;
}

/**
 * Parses a Twilio status callback. `messageIdFromUrl` is crier's own message id, which the adapter
 * put in the status callback URL. Throws ValidationError naming each bad form field.
 */
export function parseTwilioStatus(
  params: Readonly<Record<string, unknown>>,
  messageIdFromUrl: string | undefined,
): StatusReport {
  const result = statusSchema.safeParse(params);
  if (!result.success) {
    throw new ValidationError('invalid Twilio status callback', fieldIssues(result.error));
  }
  const form = result.data;
  return {
    provider: 'twilio',
    providerMessageId: form.MessageSid,
    messageId: messageIdFromUrl,
    status: twilioStatusToMessageStatus[form.MessageStatus],
    errorCode: form.ErrorCode,
  };
}
