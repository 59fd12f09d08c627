import type { RetentionPeriods } from './periods.js';

const DAY_SECONDS = 24 * 3600;

/**
 * A reply is claimed (and its message record dated) when a sender takes its job, which can be up
 * to the send queue's retention (14 days) after the text arrived. A reference to a text must
 * outlive the reply's record too, so it keeps this margin over the longest of what it points to.
 */
export const REFERENCE_MARGIN_DAYS = 15;

/** What a test key's messages are kept for in the deployed sandbox: long enough to check a test run. */
export const SANDBOX_DAYS = 7;

/**
 * Every kind of stored record that holds a resident's number or words (or points to one that
 * does), with the facts its expiry is counted from. Times are ISO 8601.
 */
export type RetainedRecord =
  /** `BROADCAST#<id>#MESSAGES#<d>` or `MESSAGE#<id>`: the number a message went to (its id carries it too), status, receipts. */
  | { kind: 'message'; createdAt: string }
  /** `INBOUND#<provider>#<id>`: a resident's text and number; also what makes a provider's retry a no-op. */
  | { kind: 'inbound'; at: string }
  /**
   * `SUB#<phone>` / `INBOUND#…`: the reference erasure finds a resident's texts, inbox entries and
   * replies by; it outlives all three, or erasure would miss one that is still kept.
   */
  | { kind: 'inboundReference'; at: string; handledAt?: string }
  /** `INBOX#<department>` and `INBOXID#<id>`: a free-text message for staff, and where it is. */
  | { kind: 'inboxEntry'; receivedAt: string; handledAt?: string }
  /**
   * `SUB#<phone>`: the profile and the consent ledger. Kept while the resident is subscribed to
   * anything (it is the evidence that lets crier message them); once they are not, kept
   * `consentDays` from their last text or consent change.
   */
  | { kind: 'residentRecord'; lastChangeAt: string; subscriptions: number }
  /** `AUDIT#<day>`: what staff did; erasures are named by a keyed hash, never the number. */
  | { kind: 'audit'; at: string }
  /** `SANDBOX#<day>`: what a test key's broadcast would have sent, in a deployment. */
  | { kind: 'sandboxMessage'; at: string }
  /** `ERASED#<keyed hash>`: kept, so that no import ever brings an erased number back. */
  | { kind: 'tombstone' };

export type RetainedKind = RetainedRecord['kind'];

/** The kinds that may be kept with no expiry at all; every other kind always has one. */
type MayBeKept = Extract<RetainedRecord, { kind: 'residentRecord' | 'tombstone' }>;

/**
 * When DynamoDB may delete the record (its TTL attribute, epoch seconds), or undefined while it
 * must be kept. Deletion follows within a few days of that time (DynamoDB's TTL is a background
 * sweep); docs/security.md says so.
 */
export function expiresAt(record: Exclude<RetainedRecord, MayBeKept>, periods: RetentionPeriods): number;
export function expiresAt(record: RetainedRecord, periods: RetentionPeriods): number | undefined;
export function expiresAt(record: RetainedRecord, periods: RetentionPeriods): number | undefined {
  switch (record.kind) {
    case 'message':
      return after(record.createdAt, periods.messagesDays);
    case 'inbound':
      return after(record.at, periods.inboundDays);
    case 'inboundReference': {
      const longest = Math.max(periods.inboundDays, periods.messagesDays, periods.inboxDays) + REFERENCE_MARGIN_DAYS;
      const handled = record.handledAt === undefined ? 0 : after(record.handledAt, periods.inboxDays + REFERENCE_MARGIN_DAYS);
      return Math.max(after(record.at, longest), handled);
    }
    case 'inboxEntry':
      // From the later of arrival and handling: an entry nobody handles still goes (a department
      // that never reads its inbox must not keep residents' words for ever), and handling one
      // keeps it another period as the record of what was done.
      return after(record.handledAt ?? record.receivedAt, periods.inboxDays);
    case 'residentRecord':
      return record.subscriptions > 0 ? undefined : after(record.lastChangeAt, periods.consentDays);
    case 'audit':
      return after(record.at, periods.auditDays);
    case 'sandboxMessage':
      return after(record.at, SANDBOX_DAYS);
    case 'tombstone':
      return undefined;
  }
}

/** Epoch seconds `days` after an ISO time, rounded up so a record never goes early. */
function after(iso: string, days: number): number {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) throw new RangeError(`not an ISO time: ${iso}`);
  return Math.ceil(millis / 1000) + days * DAY_SECONDS;
}
