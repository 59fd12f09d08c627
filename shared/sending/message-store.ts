import type { Channel, MessageStatus, SkipReason } from '../domain/model.js';
import type { MessageCostEstimate, ProviderPrice } from '../domain/costs.js';
import type { Page } from '../ports/page.js';

/**
 * One record per message sent, skipped or replied: the idempotent claim before a provider is
 * called, the outcome after, and the receipts that move it on (by status precedence).
 */

export interface MessageRecord {
  messageId: string;
  broadcastId: string | undefined;
  to: string;
  channel: Channel;
  status: MessageStatus | 'skipped';
  skipReason: SkipReason | undefined;
  provider: string | undefined;
  providerMessageId: string | undefined;
  errorCode: string | undefined;
  createdAt: string;
  updatedAt: string;
  /** Set when it was sent: the estimate from the price table (shared/domain/costs.ts). */
  cost?: MessageCostEstimate;
  /** What the provider reported charging, when it reports it (an AWS SMS delivery event, Twilio). */
  providerPrice?: ProviderPrice;
  /**
   * The send job (its SQS message id) whose claim or skip made this record, or that settled it
   * (resolveStaleClaim): the job whose totals count it. Absent on replies and older records.
   */
  jobId?: string;
  /** The sender identity it went from (shared/domain/sender-identity.ts); absent on older records. */
  senderId?: string;
}

/** What a send records beside its status, in the same write. */
export interface SentExtras {
  estimate: MessageCostEstimate;
  providerPrice?: ProviderPrice;
  senderId?: string;
}

/**
 * The error code of a claim settled by resolveStaleClaim: its run died, and whether the provider
 * took the message is not known. The same code as the provider error kind the sender records for
 * a provider's own ambiguous answer: to a caseworker both mean "may have been sent, not resent".
 */
export const OUTCOME_UNKNOWN = 'outcomeUnknown';

/** What a receipt moved: the message's status before it, and the broadcast it belongs to, if any. */
export interface AppliedReceipt {
  previous: MessageStatus;
  broadcastId: string | undefined;
}

/** A claim taken, or the record that held the message already (another run's or an earlier one's). */
export type ClaimOutcome = { outcome: 'claimed' } | { outcome: 'already-claimed'; existing: MessageRecord };

export interface MessageStore {
  /**
   * The idempotent claim: a conditional write keyed by message id, before any provider call. When
   * the message was claimed (or skipped) already, returns that record, read strongly.
   */
  claim(record: MessageRecord): Promise<ClaimOutcome>;
  /**
   * Settles a claim left in 'sending' by a run that died: moves it to 'failed' with errorCode
   * 'outcomeUnknown' (and `jobId`, the job that now counts it), only while it is still 'sending'
   * and was claimed at or before `claimedNoLaterThan`. True if it moved.
   *
   * The policy: such a claim may or may not have reached the provider (the run may have died
   * before the call, during it, or after it but before recording the answer), so it is NEVER sent
   * again: a resident receiving a message twice is worse than a recorded miss. It is recorded as
   * failed, and counted. `claimedNoLaterThan` must be older than the longest a run can live (the
   * send function's timeout), so that a claim a live run still holds is never taken for dead.
   */
  resolveStaleClaim(messageId: string, claimedNoLaterThan: string, at: string, jobId: string): Promise<boolean>;
  /** Many records at once, read strongly (a job's outcomes counted again); ids without one are absent. */
  getMany(messageIds: readonly string[]): Promise<MessageRecord[]>;
  /** Records a final outcome written without a claim first (a skip). False if it existed. */
  recordOnce(record: MessageRecord): Promise<boolean>;
  get(messageId: string): Promise<MessageRecord | undefined>;
  /**
   * The provider accepted it; the cost estimate (and any price the provider reported) and the
   * sender identity it went from ride in the same write. True when it was recorded; false, with
   * nothing written, when there is no record of the message (erased while it was being sent):
   * a record of only these fields would hold no recipient, broadcast or expiry, and would be taken
   * for a message by receipts, counts, the delivery report and erasure.
   */
  markSent(messageId: string, provider: string, providerMessageId: string, at: string, extra?: SentExtras): Promise<boolean>;
  /** The send failed; true when it was recorded, false (nothing written) for no record of the message, as markSent. */
  markFailed(messageId: string, errorCode: string | undefined, at: string): Promise<boolean>;
  /** Gives up a claim after a failure that certainly sent nothing, so a retry can claim again. */
  release(messageId: string): Promise<void>;
  /**
   * Applies a receipt's status if it ranks above the stored one (status precedence); returns
   * the previous status and the message's broadcast when it did (from the same write, so a
   * receipt costs no read), undefined when the receipt was stale or unknown.
   */
  applyReceipt(
    messageId: string,
    status: MessageStatus,
    errorCode: string | undefined,
    at: string,
  ): Promise<AppliedReceipt | undefined>;
  /**
   * The stored status, read eventually consistently (half a read unit); undefined when there is no
   * such message. For receipts that seldom move a message on: a look costs a tenth of a write that
   * fails its condition.
   */
  statusOf(messageId: string): Promise<MessageRecord['status'] | undefined>;
  /** Records the price a provider reported for a message (from a receipt), in the message's own item only. */
  recordProviderPrice(messageId: string, price: ProviderPrice): Promise<void>;
  /**
   * Erasure: deletes the records among these ids that exist (broadcast messages, whose ids carry
   * the number); ids with no record cost a read, not a write. Returns how many were deleted.
   */
  forget(messageIds: readonly string[]): Promise<number>;
  /** Erasure: the record stays (receipts still find it) but no longer says who it went to. */
  anonymiseRecipient(messageId: string): Promise<void>;
  /**
   * A broadcast's messages (claims, sends and skips alike), a page at a time in message id order
   * (so by number), for its delivery report; read eventually consistently, so a message written a
   * moment ago may show on a later read. Erased and expired messages are not there. Full pages,
   * and a cursor only when more follow; a cursor from another broadcast is a ValidationError.
   */
  listByBroadcast(broadcastId: string, limit: number, cursor: string | undefined): Promise<Page<MessageRecord>>;
}
