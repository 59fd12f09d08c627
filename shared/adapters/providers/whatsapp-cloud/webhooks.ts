/**
 * Meta WhatsApp Cloud API webhooks: the verification handshake, the `X-Hub-Signature-256` check
 * and parsing of the `messages` field (residents' messages and the statuses of ours).
 *
 * One POST may carry several entries, each with several changes, each with several messages and
 * statuses: the parser returns them all, in payload order, plus what it skipped and why.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { ForbiddenError, ValidationError, type FieldIssue } from '../../../domain/errors.js';
import type { StatusReport } from '../../../domain/inbound.js';
import { toE164 } from '../../../domain/phone.js';
import type { ProviderAccountError, WebhookBatch } from '../../../ports/provider-webhooks.js';
import { emptyWebhookBatch } from '../webhook-context.js';
import { metaStatusSchema, metaStatusToMessageStatus } from './status-mapping.js';

/** The header Meta signs each POST with, lower-cased as the HTTP runtime delivers it. */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

const SIGNATURE_FORMAT = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * True when `signature` (the `X-Hub-Signature-256` header, `sha256=<hex>`) is the HMAC-SHA256 of
 * exactly these body bytes under the app secret. Pass the body as received: Meta signs its bytes
 * (with non-ASCII escaped as \uXXXX), so a body parsed and serialised again would not match.
 */
export function verifyWhatsAppSignature(input: {
  appSecret: string;
  signature: string | undefined;
  rawBody: string | Uint8Array;
}): boolean {
  const { appSecret, signature, rawBody } = input;
  if (!appSecret || !signature) return false;
  const match = SIGNATURE_FORMAT.exec(signature.trim());
  if (!match?.[1]) return false;
  const expected = createHmac('sha256', appSecret).update(bodyBytes(rawBody)).digest();
  // Both are 32 bytes here, as timingSafeEqual requires.
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}

/** The `X-Hub-Signature-256` Meta would send with this body: for tests and the CLI. */
export function signWhatsAppPayload(appSecret: string, rawBody: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', appSecret).update(bodyBytes(rawBody)).digest('hex')}`;
}

function bodyBytes(rawBody: string | Uint8Array): Uint8Array {
  return typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
}

const HANDSHAKE_PARAMETERS = ['hub.mode', 'hub.verify_token', 'hub.challenge'] as const;

/**
 * Meta's verification request (a GET when the callback URL is saved in the app dashboard): the
 * `hub.challenge` to echo when `hub.mode` is `subscribe` and `hub.verify_token` is ours.
 * Throws ValidationError naming each missing parameter, ForbiddenError for a wrong mode or token.
 */
export function answerVerificationRequest(query: Readonly<Record<string, string | undefined>>, verifyToken: string): string {
  const missing = HANDSHAKE_PARAMETERS.filter((name) => !query[name]);
  if (missing.length > 0) {
    throw new ValidationError(
      `the verification request is missing ${missing.join(', ')}`,
      missing.map((field) => ({ field, message: 'is required' })),
    );
  }
  if (query['hub.mode'] !== 'subscribe') throw new ForbiddenError('hub.mode must be subscribe');
  if (!sameSecret(query['hub.verify_token'] ?? '', verifyToken)) {
    throw new ForbiddenError('hub.verify_token does not match the configured verify token');
  }
  return query['hub.challenge'] ?? '';
}

/** Constant-time comparison of two strings of any length (hashing first evens the lengths). */
function sameSecret(given: string, expected: string): boolean {
  if (!expected) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/* ---- the payload, as Meta documents it; fields crier does not use are not declared, so ignored ---- */

/** Error messages that say what is wrong in words a person reading a 400 can act on. */
const expecting = (what: string) => (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`);
const text = () => z.string({ error: expecting('text') });
const nonEmptyText = () => text().min(1, 'must not be empty');
const object = <Shape extends z.ZodRawShape>(shape: Shape) => z.object(shape, { error: expecting('an object') });
const array = <Item extends z.ZodType>(item: Item) => z.array(item, { error: expecting('an array') });

const metaErrorSchema = object({
  // Documented as an integer; a string is read the same way rather than failing the whole batch.
  code: z.union([z.number().int(), nonEmptyText()], { error: expecting('a number') }),
  title: text().optional(),
  message: text().optional(),
  error_data: object({ details: text().optional() }).optional(),
});

const replySchema = object({ id: text(), title: text() });

const messageSchema = object({
  /** The resident's number, international format without the `+`. */
  from: nonEmptyText(),
  /** The wamid; Meta repeats it when it retries a webhook. */
  id: nonEmptyText(),
  type: nonEmptyText(),
  /** Present when the message was sent to a group chat. */
  group_id: text().optional(),
  text: object({ body: text() }).optional(),
  /** A quick-reply button of a template message: its label (`text`) and our `payload`. */
  button: object({ text: text(), payload: text().optional() }).optional(),
  interactive: object({
    type: nonEmptyText(),
    button_reply: replySchema.optional(),
    list_reply: replySchema.extend({ description: text().optional() }).optional(),
  }).optional(),
});

const statusSchema = object({
  /** The wamid of our message. */
  id: nonEmptyText(),
  status: nonEmptyText(),
  recipient_id: text().optional(),
  /** Whatever we passed as `biz_opaque_callback_data` when sending: crier's own message id. */
  biz_opaque_callback_data: text().optional(),
  errors: array(metaErrorSchema).optional(),
});

const messagesValueSchema = object({
  metadata: object({
    display_phone_number: nonEmptyText(),
    phone_number_id: nonEmptyText(),
  }),
  messages: array(messageSchema).optional(),
  statuses: array(statusSchema).optional(),
  /** Out-of-band errors about the business number, not about one message. */
  errors: array(metaErrorSchema).optional(),
});

const envelopeSchema = object({
  object: z.literal('whatsapp_business_account', { error: expecting('"whatsapp_business_account"') }),
  entry: array(
    object({
      id: text().optional(),
      // Each field (messages, account_update, …) has its own value shape: checked per field below.
      changes: array(object({ field: nonEmptyText(), value: z.unknown() })),
    }),
  ),
});

type MetaMessage = z.infer<typeof messageSchema>;
type MetaStatusUpdate = z.infer<typeof statusSchema>;
type MetaErrorObject = z.infer<typeof metaErrorSchema>;

/**
 * Parses a verified POST body. Residents' numbers come out in E.164 (Meta sends international
 * digits without the `+`). Throws ValidationError naming each bad field by its path in the payload;
 * message types and statuses crier does not handle are skipped, not refused, so that one image in a
 * batch does not make Meta retry the whole batch for days.
 */
export function parseWhatsAppWebhook(rawBody: string, defaultCountry: CountryCode): WebhookBatch {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    throw new ValidationError('the WhatsApp webhook body is not valid JSON', [{ field: 'body', message: 'must be a JSON object' }], {
      cause: error,
    });
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) throw invalid(fieldIssues(envelope.error));

  const batch = emptyWebhookBatch();
  const issues: FieldIssue[] = [];
  envelope.data.entry.forEach((entry, entryIndex) => {
    entry.changes.forEach((change, changeIndex) => {
      const path = `entry.${entryIndex}.changes.${changeIndex}`;
      if (change.field !== 'messages') {
        batch.skipped.push({ path, reason: `webhook field "${change.field}" is not one crier handles` });
        return;
      }
      const value = messagesValueSchema.safeParse(change.value);
      if (!value.success) {
        issues.push(...fieldIssues(value.error, `${path}.value`));
        return;
      }
      readMessagesValue(value.data, `${path}.value`, defaultCountry, batch, issues);
    });
  });
  if (issues.length > 0) throw invalid(issues);
  return batch;
}

function readMessagesValue(
  value: z.infer<typeof messagesValueSchema>,
  path: string,
  defaultCountry: CountryCode,
  batch: WebhookBatch,
  issues: FieldIssue[],
): void {
  const to = ourNumber(value.metadata);
  value.messages?.forEach((message, index) => {
    const messagePath = `${path}.messages.${index}`;
    const read = readMessage(message, messagePath);
    if ('skip' in read) {
      batch.skipped.push({ path: messagePath, id: message.id, reason: read.skip });
      return;
    }
    if ('issue' in read) {
      issues.push(read.issue);
      return;
    }
    // Meta sends international digits without the '+'; one is added so no default country applies.
    const from = toE164(message.from.startsWith('+') ? message.from : `+${message.from}`, defaultCountry);
    if (!from) {
      issues.push({ field: `${messagePath}.from`, message: `"${message.from}" is not a valid phone number` });
      return;
    }
    batch.inbound.push({
      provider: 'whatsapp-cloud',
      providerMessageId: message.id,
      from,
      channel: 'whatsapp',
      to,
      body: read.body,
    });
  });
  value.statuses?.forEach((status, index) => {
    const report = readStatus(status);
    if ('skip' in report) batch.skipped.push({ path: `${path}.statuses.${index}`, id: status.id, reason: report.skip });
    else batch.receipts.push(report);
  });
  value.errors?.forEach((error, index) => {
    batch.accountErrors.push({ path: `${path}.errors.${index}`, ...describeError(error) });
  });
}

/** The text crier routes: what the resident typed, or the label of the button or row they tapped. */
function readMessage(message: MetaMessage, path: string): { body: string } | { skip: string } | { issue: FieldIssue } {
  // A keyword typed in a group is not a request from that person to this service.
  if (message.group_id !== undefined) return { skip: 'a message in a group chat' };
  switch (message.type) {
    case 'text':
      return message.text ? { body: message.text.body } : required(`${path}.text`, 'a text message');
    case 'button':
      // The label the resident saw and tapped: also the text kept as consent evidence.
      return message.button ? { body: message.button.text } : required(`${path}.button`, 'a button message');
    case 'interactive':
      return readInteractive(message, path);
    default:
      return { skip: `message type "${message.type}" is not one crier acts on` };
  }
}

function readInteractive(message: MetaMessage, path: string): { body: string } | { skip: string } | { issue: FieldIssue } {
  const { interactive } = message;
  if (!interactive) return required(`${path}.interactive`, 'an interactive message');
  switch (interactive.type) {
    case 'button_reply':
      return interactive.button_reply
        ? { body: interactive.button_reply.title }
        : required(`${path}.interactive.button_reply`, 'a button_reply');
    case 'list_reply':
      return interactive.list_reply
        ? { body: interactive.list_reply.title }
        : required(`${path}.interactive.list_reply`, 'a list_reply');
    default:
      // Flows (nfm_reply) and other interactive replies carry no text to route.
      return { skip: `interactive reply "${interactive.type}" is not one crier acts on` };
  }
}

function readStatus(status: MetaStatusUpdate): StatusReport | { skip: string } {
  const known = metaStatusSchema.safeParse(status.status);
  if (!known.success) return { skip: `status "${status.status}" is not one crier records` };
  const firstError = status.errors?.[0];
  return {
    provider: 'whatsapp-cloud',
    providerMessageId: status.id,
    // Set by crier when it sent the message; absent for messages sent by other means.
    messageId: status.biz_opaque_callback_data || undefined,
    status: metaStatusToMessageStatus[known.data],
    errorCode: firstError === undefined ? undefined : String(firstError.code),
  };
}

/** Our number as E.164 (display digits with a '+'), or Meta's id for it when it shows no digits. */
function ourNumber(metadata: { display_phone_number: string; phone_number_id: string }): string {
  const digits = metadata.display_phone_number.replace(/\D/g, '');
  return digits ? `+${digits}` : metadata.phone_number_id;
}

function describeError(error: MetaErrorObject): Omit<ProviderAccountError, 'path'> {
  return { code: String(error.code), title: error.title ?? error.message, details: error.error_data?.details };
}

function required(field: string, what: string): { issue: FieldIssue } {
  return { issue: { field, message: `is required for ${what}` } };
}

function fieldIssues(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '').join('.') || 'body',
    message: issue.message,
  }));
}

function invalid(issues: FieldIssue[]): ValidationError {
  return new ValidationError('invalid WhatsApp Cloud API webhook', issues);
}
