/**
 * What AWS End User Messaging SMS publishes to SNS, parsed: residents' texts (two-way SMS) and
 * the delivery events of ours (a configuration set's event destination). No webhook: SNS delivers
 * them to a Lambda subscription or an SQS queue, so authenticity comes from IAM (only the
 * `sms-voice.amazonaws.com` principal may publish to the topics; only the topics may invoke the
 * function or send to the queue) plus the topic ARN check here (verifySnsTopic).
 *
 * Accepts the SNS notification as a Lambda SNS record's `Sns` object or as the JSON an SQS queue
 * subscribed to the topic receives (without raw message delivery): both carry the same `Type`,
 * `MessageId`, `TopicArn`, `Message` and `Timestamp`.
 */
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { ForbiddenError, ValidationError, type FieldIssue } from '../../../domain/errors.js';
import type { InboundText, StatusReport } from '../../../domain/inbound.js';
import { snsNotificationSchema } from '../../../domain/jobs.js';
import { toE164 } from '../../../domain/phone.js';
import type { SkippedItemKind } from '../../../ports/provider-webhooks.js';
import { MESSAGE_ID_CONTEXT_KEY } from './message-context.js';
import { awsSmsEventToMessageStatus, awsSmsEventTypeSchema } from './status-mapping.js';

const PROVIDER = 'aws-sms';

/** Two-way SMS: the payload AWS publishes when a resident texts our number. */
const inboundMessageSchema = z.object({
  /** The resident's number, E.164. */
  originationNumber: z.string().min(1),
  /** Our number, E.164. */
  destinationNumber: z.string().min(1),
  messageBody: z.string(),
  /** AWS's id for the text; a redelivered notification repeats it. */
  inboundMessageId: z.string().min(1),
  messageKeyword: z.string().optional(),
  previousPublishedMessageId: z.string().optional(),
});

/** A configuration set event for one of our messages (the fields crier uses). */
const eventSchema = z.object({
  eventType: z.string().min(1),
  /** The MessageId SendTextMessage returned. */
  messageId: z.string().min(1),
  messageStatus: z.string().optional(),
  messageStatusDescription: z.string().optional(),
  /** Whatever we passed as `Context` when sending: crier's own message id. */
  context: z.record(z.string(), z.string()).optional(),
  isFinal: z.boolean().optional(),
  /** What AWS charged for the message's parts, and the carrier's fee on top: US dollars, as AWS bills. */
  totalMessagePrice: z.number().nonnegative().optional(),
  totalCarrierFee: z.number().nonnegative().optional(),
});

export type AwsSmsNotification =
  | { kind: 'inbound'; snsMessageId: string; inbound: InboundText }
  | { kind: 'receipt'; snsMessageId: string; receipt: StatusReport }
  | {
      kind: 'skipped';
      snsMessageId: string;
      /** The id of the text or event when it could be read (else the SNS notification's), and which it was. */
      id: string;
      item: SkippedItemKind;
      reason: string;
    };

export interface AwsSmsParseOptions {
  defaultCountry: CountryCode;
}

/** The SNS envelope of a notification; throws ValidationError naming each bad field. */
function readEnvelope(input: unknown): z.infer<typeof snsNotificationSchema> {
  const envelope = snsNotificationSchema.safeParse(typeof input === 'string' ? parseEnvelopeJson(input) : input);
  if (!envelope.success) throw invalid('invalid SNS notification', fieldIssues(envelope.error));
  return envelope.data;
}

/**
 * Refuses, with ForbiddenError, a notification from a topic that is not one the deployment
 * subscribed (two-way SMS and events): the AWS SMS counterpart of a webhook signature, on top of
 * IAM (see the top of this file). Throws ValidationError when the envelope cannot be read.
 */
export function verifySnsTopic(input: unknown, topicArns: readonly string[]): void {
  const { TopicArn: topicArn } = readEnvelope(input);
  if (!topicArns.includes(topicArn)) {
    throw new ForbiddenError(`SNS topic ${topicArn} is not one of this deployment's AWS SMS topics`);
  }
}

/**
 * Parses one SNS notification from AWS End User Messaging SMS, once its topic is checked
 * (verifySnsTopic). Throws ValidationError only when the SNS envelope itself cannot be read; what
 * is inside it and crier cannot act on (another SNS message type, an event type crier does not
 * record, a message that is not JSON or lacks a field, a sender that is not a valid number) comes
 * back as `skipped` with its reason, so it is recorded once instead of failing and being dropped.
 */
export function parseAwsSmsNotification(input: unknown, options: AwsSmsParseOptions): AwsSmsNotification {
  const { Type: type, MessageId: snsMessageId, Message: message } = readEnvelope(input);
  const skip = (reason: string, id = snsMessageId, item: SkippedItemKind = 'other'): AwsSmsNotification => ({
    kind: 'skipped',
    snsMessageId,
    id,
    item,
    reason,
  });
  if (type !== 'Notification') return skip(`SNS message type "${type}" carries no SMS`);

  let payload: unknown;
  try {
    payload = JSON.parse(message);
  } catch {
    return skip('the SNS Message is not JSON');
  }
  if (typeof payload === 'object' && payload !== null && 'inboundMessageId' in payload) {
    const inbound = readInbound(payload, options.defaultCountry);
    return 'skip' in inbound ? skip(inbound.skip, inbound.id ?? snsMessageId, 'message') : { kind: 'inbound', snsMessageId, inbound };
  }
  if (typeof payload === 'object' && payload !== null && 'eventType' in payload) {
    const receipt = readEvent(payload);
    return 'skip' in receipt ? skip(receipt.skip, receipt.id ?? snsMessageId, 'status') : { kind: 'receipt', snsMessageId, receipt };
  }
  return skip('the SNS Message is neither a two-way SMS (inboundMessageId) nor an SMS event (eventType)');
}

type Skip = { skip: string; id: string | undefined };

/** A text's or event's own id, when it has a readable one: what the skip is recorded under. */
function idIn(payload: object, field: 'inboundMessageId' | 'messageId'): string | undefined {
  const value = (payload as Record<string, unknown>)[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readInbound(payload: object, defaultCountry: CountryCode): InboundText | Skip {
  const id = idIn(payload, 'inboundMessageId');
  const parsed = inboundMessageSchema.safeParse(payload);
  if (!parsed.success) return { skip: `a two-way SMS crier cannot read (${describe(parsed.error)})`, id };
  const { originationNumber, destinationNumber, messageBody, inboundMessageId } = parsed.data;
  const from = toE164(originationNumber, defaultCountry);
  // The number is not echoed: the reason is kept where personal data is not.
  if (!from) return { skip: "the sender's number is not a valid phone number", id };
  if (!messageBody.trim()) return { skip: 'an empty message', id };
  return { provider: PROVIDER, providerMessageId: inboundMessageId, from, channel: 'sms', to: destinationNumber, body: messageBody };
}

function readEvent(payload: object): StatusReport | Skip {
  const id = idIn(payload, 'messageId');
  const parsed = eventSchema.safeParse(payload);
  if (!parsed.success) return { skip: `an SMS event crier cannot read (${describe(parsed.error)})`, id };
  const event = parsed.data;
  const type = awsSmsEventTypeSchema.safeParse(event.eventType);
  if (!type.success) return { skip: `event type "${event.eventType}" is not one crier records`, id };
  const status = awsSmsEventToMessageStatus[type.data];
  const failed = status === 'failed' || status === 'undelivered';
  return {
    provider: PROVIDER,
    providerMessageId: event.messageId,
    // Set by crier when it sent the message; absent for messages sent by other means.
    messageId: event.context?.[MESSAGE_ID_CONTEXT_KEY] || undefined,
    status,
    // AWS's status (e.g. CARRIER_UNREACHABLE) says why, where the event type alone is broad.
    errorCode: failed ? (event.messageStatus ?? type.data) : undefined,
    ...(event.totalMessagePrice === undefined
      ? {}
      : { price: { amount: event.totalMessagePrice + (event.totalCarrierFee ?? 0), currency: AWS_BILLING_CURRENCY } }),
  };
}

/** AWS reports (and bills) End User Messaging prices in US dollars. */
const AWS_BILLING_CURRENCY = 'USD';

function parseEnvelopeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError('the SNS notification is not valid JSON', [{ field: 'body', message: 'must be JSON' }], { cause: error });
  }
}

/** A zod error in one line, by field: for a skip reason. */
function describe(error: z.ZodError): string {
  return fieldIssues(error)
    .map((issue) => `${issue.field} ${issue.message}`)
    .join('; ');
}

function fieldIssues(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '').join('.') || 'body',
    message: issue.message,
  }));
}

function invalid(message: string, issues: FieldIssue[]): ValidationError {
  return new ValidationError(message, issues);
}
