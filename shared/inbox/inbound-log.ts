import type { Channel } from '../domain/model.js';

/**
 * The inbound log: every message residents send, kept as consent evidence and as the idempotency
 * record of the inbound path (shared/consent/handle-inbound.ts), and the items of a delivery it did not act on.
 */

export type InboundLogEntry =
  | { state: 'new' }
  | { state: 'in-progress' }
  | { state: 'done'; replyMessageId: string | undefined };

/**
 * Every inbound message, kept as consent evidence and used as the idempotency record: a
 * provider's retry of the same message finds it and does not act twice.
 */
export interface InboundLog {
  /**
   * Counts a message from a sender within a time window (`window` names it, e.g. the 5-minute
   * slot) and returns the count so far; the counter expires with the window.
   */
  countFromSender(phone: string, window: string, expiresAt: Date): Promise<number>;
  begin(provider: string, providerMessageId: string, record: { from: string; channel: Channel; body: string; at: string }): Promise<InboundLogEntry>;
  /**
   * Marks a message handled. `redactedBody` replaces the stored text when it must not be kept (an
   * under-13's age). True when it was; false, with nothing written, when there is no such entry
   * (a later attempt took the stale claim over and gave it back on failing, or it expired): an
   * entry of only these fields would answer the provider's next delivery of the message as a
   * duplicate, so it would never be acted on, and would hold no number, text or expiry.
   */
  finish(provider: string, providerMessageId: string, replyMessageId: string | undefined, redactedBody?: string): Promise<boolean>;
  /**
   * Gives back the claim `begin` took at `startedAt` when handling failed, so the provider's
   * retry is acted on at once instead of being taken for a duplicate. A finished entry stays.
   */
  release(provider: string, providerMessageId: string, startedAt: string): Promise<void>;
  /** Every message a number sent (erasure looks here for what holds the number). */
  sentBy(phone: string): Promise<InboundMessageRef[]>;
  /**
   * Erasure: the entry keeps answering a provider's retry as a duplicate, but the number and
   * text are gone. Returns the id of the reply it got, if any; undefined for no such entry.
   */
  anonymise(provider: string, providerMessageId: string): Promise<{ replyMessageId: string | undefined } | undefined>;
  /**
   * Records an item of a verified delivery that crier did not act on, and why, so an operator can
   * see what was dropped (and look it up at the provider by its id). Holds no number and no text.
   * A provider's retry of the delivery rewrites the same record; it expires at `expiresAt`.
   */
  recordSkipped(record: SkippedItemRecord, expiresAt: Date): Promise<void>;
  /** The record of a skipped item, by the provider's id of it; undefined when none was recorded. */
  skippedItem(provider: string, itemId: string): Promise<SkippedItemRecord | undefined>;
}

/** What the inbound log keeps of an item crier did not act on (`InboundLog.recordSkipped`). */
export interface SkippedItemRecord {
  provider: string;
  /** The provider's id of the message, status or notification. */
  itemId: string;
  kind: 'message' | 'status' | 'other';
  /** Where it sat in the delivery, e.g. `entry.0.changes.0.value.messages.1`. */
  path: string;
  reason: string;
  at: string;
}

export interface InboundMessageRef {
  provider: string;
  providerMessageId: string;
}
