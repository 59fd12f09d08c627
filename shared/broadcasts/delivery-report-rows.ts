import { providerErrorKinds, type ProviderErrorKind } from '../domain/errors.js';
import type { Channel, SkipReason } from '../domain/model.js';
import type { MessageRecord } from '../sending/message-store.js';

/** One resident's line of a broadcast's delivery report. */
export interface DeliveryReportRow {
  /** The whole number for roles that may read residents' numbers; else all but its last 3 digits masked. */
  number: string;
  channel: Channel;
  status: MessageRecord['status'];
  /** When the message last moved (claimed, sent, delivered, failed or skipped), ISO 8601 UTC. */
  time: string;
  /** Why it was skipped or failed, in words; empty when nothing went wrong. */
  reason: string;
}

/** Digits left showing in a masked number: enough to tell a caller which of their numbers it was. */
export const SHOWN_DIGITS = 3;

/** `+447700900123` → `*********123`: the length stays (a number is not guessed from it), the rest goes. */
export function maskNumber(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  // Not a number (an erased record's placeholder): nothing to hide.
  if (digits.length === 0) return phone;
  return '*'.repeat(Math.max(0, digits.length - SHOWN_DIGITS)) + digits.slice(-SHOWN_DIGITS);
}

/** Why a resident was not sent the broadcast, as the report says it. */
export const skipReasonWords: Record<SkipReason, string> = {
  opted_out: 'The resident had opted out.',
  duplicate: 'The resident was already sent this broadcast through another topic.',
  cancelled: 'The broadcast was stopped before this message was sent.',
  invalid_recipient: 'The number cannot receive messages.',
  missing_data: 'The resident has not given a value the message needs for a placeholder.',
  whatsapp_window_closed: 'The resident had not messaged on WhatsApp in the last 24 hours, and the broadcast has no WhatsApp template.',
  left_topic: 'The resident left the topic before this message was sent.',
};

/** What went wrong at the provider (the kinds the sender records when the provider gave no code of its own). */
export const providerErrorWords: Record<ProviderErrorKind, string> = {
  throttled: 'The provider was too busy to take the message.',
  connectionFailed: 'The provider could not be reached.',
  outcomeUnknown: 'The provider did not answer, so the message may have been sent; it was not sent again.',
  recipientOptedOut: 'The provider says the resident has opted out.',
  invalidRecipient: 'The provider cannot deliver to this number.',
  windowClosed: 'The resident had not messaged on WhatsApp in the last 24 hours.',
  rejected: 'The provider refused the message.',
  misconfigured: "The provider refused crier's credentials or sender; tell the operator.",
};

/** The sender's own code for a send that ended without a provider's answer (see send-message.ts). */
const AMBIGUOUS = 'ambiguous';
/** The sender's prefix for a retryable failure on the last attempt: `retries_exhausted:<code>`. */
const RETRIES_EXHAUSTED = 'retries_exhausted:';

const isProviderErrorKind = (code: string): code is ProviderErrorKind => Object.hasOwn(providerErrorKinds, code);

/** An error code as recorded (a kind, a provider's own code, or the sender's), in words. */
export function errorCodeWords(code: string): string {
  if (code.startsWith(RETRIES_EXHAUSTED)) return `Given up after retrying. ${errorCodeWords(code.slice(RETRIES_EXHAUSTED.length))}`;
  if (code === AMBIGUOUS) return 'The send ended unexpectedly, so the message may have been sent; it was not sent again.';
  if (isProviderErrorKind(code)) return providerErrorWords[code];
  return `The provider reported error ${code}.`;
}

export function reasonOf(record: Pick<MessageRecord, 'status' | 'skipReason' | 'errorCode'>): string {
  if (record.status === 'skipped' && record.skipReason) return skipReasonWords[record.skipReason];
  if (record.errorCode) return errorCodeWords(record.errorCode);
  return '';
}

export function rowOf(record: MessageRecord, showNumbers: boolean): DeliveryReportRow {
  return {
    number: showNumbers ? record.to : maskNumber(record.to),
    channel: record.channel,
    status: record.status,
    time: record.updatedAt,
    reason: reasonOf(record),
  };
}
