/**
 * Reading a verified WhatsApp Cloud API webhook (the `messages` field): residents' messages and
 * the statuses of ours.
 *
 * Two levels, parsed apart. The envelope (`object`, `entry[]`) is all that may make crier refuse a
 * delivery (400): a body that is not a WhatsApp Business Account webhook at all. Below it, every
 * entry, change, message and status is read on its own schema, and one crier cannot act on is
 * `skipped` with its reason while the rest is read: Meta retries a refused delivery for days (and
 * may disable the webhook), and one delivery may carry an odd message next to a STOP. Objects are
 * read loosely (unknown fields kept, never refused) because Meta adds fields without notice, as it
 * did with business-scoped user ids in 2026.
 */
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { ValidationError, type FieldIssue } from '../../../domain/errors.js';
import type { StatusReport } from '../../../domain/inbound.js';
import { toE164 } from '../../../domain/phone.js';
import type { ProviderAccountError, SkippedItemKind, WebhookBatch } from '../../../ports/provider-webhooks.js';
import { emptyWebhookBatch } from '../webhook-context.js';
import { metaStatusSchema, metaStatusToMessageStatus } from './status-mapping.js';
import { readMessageText, type MetaMessage } from './message-text.js';

const PROVIDER = 'whatsapp-cloud';

/** Error messages that say what is wrong in words a person reading a 400 can act on. */
const expecting = (what: string) => (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`);
const text = () => z.string({ error: expecting('text') });
const nonEmptyText = () => text().min(1, 'must not be empty');

/** The envelope: the only part whose shape decides between 200 and 400. */
const envelopeSchema = z.looseObject(
  {
    object: z.literal('whatsapp_business_account', { error: expecting('"whatsapp_business_account"') }),
    entry: z.array(z.unknown(), { error: expecting('an array') }),
  },
  { error: expecting('a JSON object') },
);

const entrySchema = z.looseObject({ changes: z.array(z.unknown()) });
const changeSchema = z.looseObject({ field: nonEmptyText(), value: z.unknown() });

/** The `value` of a `messages` change; each array's items are read one by one below. */
const messagesValueSchema = z.looseObject({
  metadata: z.looseObject({ display_phone_number: text().optional(), phone_number_id: text().optional() }).optional(),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  /** Out-of-band errors about the business number, not about one message. */
  errors: z.array(z.unknown()).optional(),
});

/** Meta's error object; every field optional, so an odd error never costs the item it describes. */
const metaErrorSchema = z.looseObject({
  // Documented as an integer; a string is read the same way.
  code: z.union([z.number(), text()]).optional(),
  title: text().optional(),
  message: text().optional(),
  error_data: z.looseObject({ details: text().optional() }).optional(),
});
type MetaError = z.infer<typeof metaErrorSchema>;

/**
 * A resident's message: what every type shares. `from` (their number, international digits) is
 * absent for a user who hides it behind a username; `from_user_id` (their business-scoped user
 * id) is then the only sender Meta gives.
 */
const messageSchema = z.looseObject({
  id: nonEmptyText(),
  type: nonEmptyText(),
  from: text().optional(),
  from_user_id: text().optional(),
  /** Present when the message was sent to a group chat. */
  group_id: text().optional(),
  errors: z.array(z.unknown()).optional(),
});

/** A contact of the change: the resident's number (`wa_id`) beside their business-scoped user id. */
const contactSchema = z.looseObject({ wa_id: text().optional(), user_id: text().optional() });

const statusSchema = z.looseObject({
  /** The wamid of our message. */
  id: nonEmptyText(),
  status: nonEmptyText(),
  /** Whatever we passed as `biz_opaque_callback_data` when sending: crier's own message id. */
  biz_opaque_callback_data: text().optional(),
  errors: z.array(z.unknown()).optional(),
});

/**
 * Parses a verified POST body. Residents' numbers come out in E.164 (Meta sends international
 * digits without the `+`). Throws ValidationError, naming the field, only when the body is not a
 * WhatsApp Business Account webhook envelope; everything inside one is read or skipped item by item.
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
  if (!envelope.success) throw new ValidationError('the body is not a WhatsApp Cloud API webhook', fieldIssues(envelope.error));

  const reader = new BatchReader(defaultCountry);
  envelope.data.entry.forEach((entry, index) => reader.entry(entry, `entry.${index}`));
  return reader.batch;
}

/** Fills one batch, item by item; each method takes an item as Meta sent it and the path to it. */
class BatchReader {
  readonly batch = emptyWebhookBatch();

  constructor(private readonly defaultCountry: CountryCode) {}

  entry(input: unknown, path: string): void {
    const entry = entrySchema.safeParse(input);
    if (!entry.success) return this.skip(path, 'other', `an entry crier cannot read (${describe(entry.error)})`);
    entry.data.changes.forEach((change, index) => this.change(change, `${path}.changes.${index}`));
  }

  private change(input: unknown, path: string): void {
    const change = changeSchema.safeParse(input);
    if (!change.success) return this.skip(path, 'other', `a change crier cannot read (${describe(change.error)})`);
    if (change.data.field !== 'messages') {
      return this.skip(path, 'other', `webhook field "${change.data.field}" is not one crier handles`);
    }
    const valuePath = `${path}.value`;
    const value = messagesValueSchema.safeParse(change.data.value);
    if (!value.success) return this.skip(valuePath, 'other', `a messages value crier cannot read (${describe(value.error)})`);
    const { metadata, contacts, messages, statuses, errors } = value.data;
    const to = ourNumber(metadata);
    const numbersByUserId = contactNumbers(contacts ?? []);
    messages?.forEach((message, index) => this.message(message, `${valuePath}.messages.${index}`, to, numbersByUserId));
    statuses?.forEach((status, index) => this.status(status, `${valuePath}.statuses.${index}`));
    errors?.forEach((error, index) => this.batch.accountErrors.push({ path: `${valuePath}.errors.${index}`, ...describeAccountError(error) }));
  }

  private message(input: unknown, path: string, to: string | undefined, numbersByUserId: ReadonlyMap<string, string>): void {
    const id = idOf(input);
    const parsed = messageSchema.safeParse(input);
    if (!parsed.success) return this.skip(path, 'message', `a message crier cannot read (${describe(parsed.error)})`, id);
    const message = parsed.data;
    // A keyword typed in a group is not a request from that person to this service.
    if (message.group_id !== undefined) return this.skip(path, 'message', 'a message in a group chat', message.id);
    const read = readMessageText(message as MetaMessage);
    if ('skip' in read) return this.skip(path, 'message', withErrors(read.skip, message.errors), message.id);
    if (to === undefined) return this.skip(path, 'message', 'the change has no metadata naming the number it was sent to', message.id);

    // The number, from the message or from its contact (matched by user id); never the user id itself.
    const digits = message.from || (message.from_user_id ? numbersByUserId.get(message.from_user_id) : undefined);
    if (!digits) {
      if (!message.from_user_id) return this.skip(path, 'message', 'a message with no sender (neither from nor from_user_id)', message.id);
      this.batch.unidentified.push({ path, provider: PROVIDER, providerMessageId: message.id, channel: 'whatsapp', body: read.body });
      return;
    }
    // Meta sends international digits without the '+'; one is added so no default country applies.
    const from = toE164(digits.startsWith('+') ? digits : `+${digits}`, this.defaultCountry);
    if (!from) return this.skip(path, 'message', "the sender's number is not a valid phone number", message.id);
    this.batch.inbound.push({ provider: PROVIDER, providerMessageId: message.id, from, channel: 'whatsapp', to, body: read.body });
  }

  private status(input: unknown, path: string): void {
    const parsed = statusSchema.safeParse(input);
    if (!parsed.success) return this.skip(path, 'status', `a status crier cannot read (${describe(parsed.error)})`, idOf(input));
    const status = parsed.data;
    const known = metaStatusSchema.safeParse(status.status);
    if (!known.success) return this.skip(path, 'status', `status "${status.status}" is not one crier records`, status.id);
    const report: StatusReport = {
      provider: PROVIDER,
      providerMessageId: status.id,
      // Set by crier when it sent the message; absent for messages sent by other means.
      messageId: status.biz_opaque_callback_data || undefined,
      status: metaStatusToMessageStatus[known.data],
      errorCode: firstErrorCode(status.errors),
    };
    this.batch.receipts.push(report);
  }

  private skip(path: string, kind: SkippedItemKind, reason: string, id?: string): void {
    this.batch.skipped.push(id === undefined ? { path, kind, reason } : { path, id, kind, reason });
  }
}

/** Our number as E.164 (display digits with a '+'), or Meta's id for it when it shows no digits. */
function ourNumber(metadata: { display_phone_number?: string; phone_number_id?: string } | undefined): string | undefined {
  const digits = metadata?.display_phone_number?.replace(/\D/g, '');
  if (digits) return `+${digits}`;
  return metadata?.phone_number_id || undefined;
}

/** Residents' numbers by their business-scoped user id, from the change's contacts that carry both. */
function contactNumbers(contacts: readonly unknown[]): Map<string, string> {
  const numbers = new Map<string, string>();
  for (const input of contacts) {
    const contact = contactSchema.safeParse(input);
    if (contact.success && contact.data.user_id && contact.data.wa_id) numbers.set(contact.data.user_id, contact.data.wa_id);
  }
  return numbers;
}

/** An item's own id when it has a readable one, so that even an unreadable item can be recorded. */
function idOf(input: unknown): string | undefined {
  const id = z.looseObject({ id: nonEmptyText() }).safeParse(input);
  return id.success ? id.data.id : undefined;
}

function readErrors(errors: readonly unknown[] | undefined): MetaError[] {
  return (errors ?? []).flatMap((error) => {
    const parsed = metaErrorSchema.safeParse(error);
    return parsed.success ? [parsed.data] : [];
  });
}

function firstErrorCode(errors: readonly unknown[] | undefined): string | undefined {
  const code = readErrors(errors)[0]?.code;
  return code === undefined ? undefined : String(code);
}

/** A skip reason with Meta's own error, where it sent one (an `unsupported` message carries it). */
function withErrors(reason: string, errors: readonly unknown[] | undefined): string {
  const [first] = readErrors(errors);
  if (!first) return reason;
  const title = first.title ?? first.message;
  return `${reason} (Meta error ${first.code ?? 'without a code'}${title ? `: ${title}` : ''})`;
}

function describeAccountError(input: unknown): Omit<ProviderAccountError, 'path'> {
  const [error] = readErrors([input]);
  return {
    code: error?.code === undefined ? 'unknown' : String(error.code),
    title: error?.title ?? error?.message,
    details: error?.error_data?.details,
  };
}

/** A zod error in one line, by field: for a skip reason. */
function describe(error: z.ZodError): string {
  return fieldIssues(error)
    .map((issue) => `${issue.field} ${issue.message}`)
    .join('; ');
}

function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || 'body', message: issue.message }));
}
