import type {
  Broadcast,
  BroadcastCounts,
  BroadcastStatus,
  Channel,
  ConsentEvent,
  ConsentEvidence,
  MessageStatus,
  PendingConfirmation,
  Recipient,
  SkipReason,
  SubscriberProfile,
  Subscription,
  Topic,
} from '../domain/model.js';
import type { MessageCostEstimate, ProviderPrice } from '../domain/costs.js';
import type { JobTotals } from '../domain/job-totals.js';
import type { Language, LanguageSource } from '../domain/language.js';
import type { AgeBand } from '../domain/profile.js';
import type { Page } from './page.js';
import type { StaffStore } from '../staff/staff-store.js';
import type { TemplateStore } from '../templates/template-store.js';
import type { ImportBatchStore } from '../residents/import-batch.js';
import type { ApiKeyStore } from '../staff/api-key-store.js';
import type { AuditLog } from '../staff/audit-log.js';
import type { InboundLog } from '../inbox/inbound-log.js';
import type { InboxStore } from '../inbox/inbox-store.js';
import type { ReplyTextStore } from '../inbox/reply-text-store.js';
import type { DepartmentStore } from '../usage/department-store.js';

export interface TopicPageQuery {
  limit: number;
  /** From a previous page. */
  cursor?: string;
  includeArchived: boolean;
  /** One department's topics only; undefined for every department's. */
  department?: string;
}

export interface TopicStore {
  /** Creates the topic and claims its keywords; throws ConflictError naming the clash. */
  create(topic: Topic): Promise<void>;
  /** Archived topics too. */
  get(id: string): Promise<Topic | undefined>;
  /** The topics residents can join; archived ones only when asked for. */
  list(options?: { includeArchived?: boolean }): Promise<Topic[]>;
  /** A page of topics in id order, for the admin API: full pages, and a cursor only when more match. */
  page(query: TopicPageQuery): Promise<Page<Topic>>;
  /** The active topic a keyword (upper-case) leads to; never an archived one. */
  findByKeyword(keyword: string): Promise<Topic | undefined>;
  /**
   * Changes a topic: `change` gets the topic as stored and returns it as it should be (it may
   * throw to refuse, before anything is written). Keywords the change adds are claimed before the
   * topic changes and those it drops (all of them when it archives the topic) released after, so
   * a keyword never leads to two topics. A keyword another topic holds is a ConflictError naming
   * that topic, and nothing is changed; so is a concurrent change of the same topic. Undefined
   * when there is no such topic.
   */
  update(id: string, change: (current: Topic) => Topic): Promise<{ before: Topic; after: Topic } | undefined>;
  subscriberCount(id: string): Promise<number>;
  /** The subscriber count, by channel and by language, from the same counters (one read). */
  subscriberCounts(id: string): Promise<TopicSubscriberCounts>;
}

/** A subscription's language as counted: the language the resident receives ('none': not given, so the deployment's default). */
export type CountedLanguage = Language | 'none';

/**
 * A topic's subscriptions counted (a resident on SMS and WhatsApp counts twice, as they receive
 * twice). By language: the resident's language as they now stand; subscriptions counted before
 * languages were counted are in no language until the resident's language next changes.
 */
export interface TopicSubscriberCounts {
  total: number;
  byChannel: Record<Channel, number>;
  byLanguage: Record<CountedLanguage, number>;
}

export interface SubscriberStore {
  getProfile(phone: string): Promise<SubscriberProfile | undefined>;
  /**
   * Many profiles at once, by phone; residents without one are absent. `consistent` for a
   * decision a STOP written a moment ago must change (the sender's), eventual for counting.
   */
  profilesOf(phones: readonly string[], options: { consistent: boolean }): Promise<Map<string, SubscriberProfile>>;
  /**
   * What a sender checks just before a resident's slot, read strongly in one request: their
   * profile (undefined once erased) and whether they are still in the topic on that channel.
   */
  consentToSend(phone: string, channel: Channel, topicId: string): Promise<{ profile: SubscriberProfile | undefined; subscribed: boolean }>;
  subscriptions(phone: string): Promise<Subscription[]>;
  consentHistory(phone: string): Promise<ConsentEvent[]>;
  /**
   * Subscribes (clearing an opt-out on that channel, since this is an explicit opt-in) and
   * records the consent event, all in one transaction. False when already subscribed.
   */
  subscribe(
    phone: string,
    channel: Channel,
    topicId: string,
    at: string,
    evidence: ConsentEvidence,
    action?: 'opt_in' | 'confirm',
  ): Promise<boolean>;
  /**
   * Opts the resident out of everything on a channel: the opt-out flag and its consent record
   * are written first and atomically, so no send after this moment passes the opt-out check;
   * then the subscriptions are removed from the topic index. True when newly opted out, false
   * when the resident had already opted out on that channel (nothing new is recorded).
   */
  optOut(phone: string, channel: Channel, at: string, evidence: ConsentEvidence): Promise<boolean>;
  /** Lifts an opt-out and re-subscribes the topics held at STOP; returns them. */
  restore(
    phone: string,
    channel: Channel,
    at: string,
    evidence: ConsentEvidence,
    /** A held topic comes back only if this says it still takes subscribers (not archived). */
    stillOpen?: (topicId: string) => Promise<boolean>,
  ): Promise<string[]>;
  /** Leaves one topic and records it; false when the resident was not subscribed to it. */
  leaveTopic(phone: string, channel: Channel, topicId: string, at: string, evidence: ConsentEvidence): Promise<boolean>;
  /** Sets area, language or age band, and records the change. */
  updateProfile(phone: string, channel: Channel, changes: ProfileChanges, at: string, evidence: ConsentEvidence): Promise<void>;
  /**
   * Keeps a language inferred from the words of a resident's text (`YMUNO` is Welsh), unless the
   * profile holds a chosen one by the time it writes, and records it as a profile change
   * (`{ language, languageSource: 'inferred' }`) beside, not over, any other change the same text
   * made. The record comes first, as every consent record does, so a LANG that lands between the
   * caller's read and this write leaves a record whose change did not take: the rule that an
   * inferred language never replaces a chosen one says which holds. False when it did not take.
   */
  keepInferredLanguage(phone: string, channel: Channel, language: Language, at: string, evidence: ConsentEvidence): Promise<boolean>;
  /** Keeps a JOIN to a confirmed-opt-in topic until the resident's YES, and records the request. */
  requestConfirmation(phone: string, pending: PendingConfirmation, evidence: ConsentEvidence): Promise<void>;
  /** The JOIN waiting for confirmation on a channel, removed as it is taken. */
  takePendingConfirmation(phone: string, channel: Channel): Promise<PendingConfirmation | undefined>;
  /**
   * True the first time it is asked on a given day (`YYYY-MM-DD`, the deployment's calendar) for
   * a resident: one automatic reply a day. `at` dates a profile this creates.
   */
  claimDailyAcknowledgement(phone: string, day: string, at?: string): Promise<boolean>;
  /** A WhatsApp message from the resident opens the 24-hour window for free-text replies. */
  recordWhatsAppWindow(phone: string, at: string): Promise<void>;
  /**
   * The first step of an erasure: keeps the anonymised tombstone (so no import brings the number
   * back) and takes the resident off every topic index (so no new broadcast reaches them), and
   * says what else to erase. Leaves the resident's own records, which name what to erase, so a
   * retry after a crash part-way finds them again. Undefined when nothing is stored.
   */
  beginErasure(phone: string, at: string, actor: string): Promise<ErasureFootprint | undefined>;
  /** Removes every trace of a resident but an anonymised opt-out tombstone. */
  erase(phone: string, at: string, actor: string): Promise<boolean>;
  /** Which of these numbers were erased (their tombstones), so that an import refuses them. */
  erasedAmong(phones: readonly string[]): Promise<Set<string>>;
  /** How the audit log names an erased number: the keyed hash its tombstone is keyed by, never the number. */
  erasureReference(phone: string): Promise<string>;
  /**
   * Applies the retention schedule to the resident's record, their profile and consent ledger
   * (shared/retention/schedule.ts): no expiry while they are subscribed to anything; otherwise
   * the consent period from `at`. Called after every text from the resident and every consent
   * change, and only ever after the change is written, so that of two concurrent changes the
   * later call sees both.
   */
  settleRetention(phone: string, at: string): Promise<void>;
  /**
   * Applies one row of an import batch, as replayable writes: the consent record (keyed by the
   * batch), a profile if the resident has none (marked with the batch; a resident already known
   * keeps the profile they gave), the index entry, and the subscription (marked with the batch).
   * Replaying it for the same batch rewrites the same records. False when already subscribed.
   */
  importSubscription(row: ImportedSubscription, at: string, evidence: ImportEvidence): Promise<boolean>;
  /**
   * Takes back what importSubscription wrote for this batch, and nothing another change wrote:
   * a subscription, consent record or profile made otherwise stays. Safe to repeat, and to call
   * for a row the batch never reached. A resident's rows must be undone one after another.
   */
  undoImport(row: ImportedSubscription, batchId: string): Promise<void>;
  /** The opt-out state of many residents at once (a send batch). */
  optedOutAmong(recipients: readonly Recipient[]): Promise<Set<string>>;
}

/** One row of an import, as it is applied. */
export interface ImportedSubscription {
  phone: string;
  channel: Channel;
  topicId: string;
  /** Kept only on a profile the import creates. */
  profile: ProfileChanges;
}

export type ImportEvidence = Extract<ConsentEvidence, { kind: 'import' }>;

/** What an erasure has to look for outside the resident's own records. */
export interface ErasureFootprint {
  /** Every topic the resident was ever subscribed to or asked to join: its broadcasts may have reached them. */
  topicIds: string[];
}

export interface ProfileChanges {
  language?: Language;
  /** Written with a language: 'chosen' by LANG (see shared/residents/kept-language.ts). */
  languageSource?: LanguageSource;
  area?: string;
  /** `null` forgets the band (a resident who says they are under 13). */
  ageBand?: AgeBand | null;
}

export interface TopicIndexPage {
  recipients: Recipient[];
  /** Opaque; absent on the last page. */
  cursor: string | undefined;
}

export interface TopicIndex {
  page(topicId: string, shard: number, cursor: string | undefined, limit: number): Promise<TopicIndexPage>;
  /**
   * Which of these numbers are in this shard of the topic, on either channel, read strongly. A
   * number lives in the same shard of every topic, so one range read of one shard answers for a
   * whole page of another topic's same shard.
   */
  membersAmong(topicId: string, shard: number, phones: readonly string[]): Promise<Set<string>>;
}

/**
 * What a send batch or a receipt adds to a broadcast's outcome counters. They live in a small
 * item of their own (not on the broadcast, whose fan-out checkpoints make it ~2 KB), so that each
 * addition costs one write unit.
 */
export interface CountsDelta {
  sent?: number;
  delivered?: number;
  undelivered?: number;
  failed?: number;
  /** Every skip, whatever its reason; `skippedBy` splits it where the reason is known. */
  skipped?: number;
  skippedBy?: Partial<Record<SkipReason, number>>;
  /**
   * Estimated cost of the messages sent, in whole micro-units of `costCurrency` (see
   * shared/domain/costs.ts): added in the same write as the counts, never one write per message.
   */
  costMicros?: number;
  costCurrency?: string;
}

/** What one fan-out page adds on the broadcast item, in the same write as its checkpoint. */
export interface FanOutDelta {
  targeted?: number;
  /** Shard tasks finished. */
  fanOutDone?: number;
}

/** A broadcast's outcome counters as they stand (its COUNTS item). */
export interface BroadcastTally {
  counts: Omit<BroadcastCounts, 'targeted'>;
  cost: Broadcast['cost'];
  lastProgressAt: string | undefined;
}

/** How recording a job's totals went. */
export type JobRecording =
  /** Stored; `previous` is what the job's item held before (undefined for its first record). */
  | { recorded: true; previous: JobTotals | undefined }
  /** Not stored: the job's item already holds totals with more recipients done (a later run's). */
  | { recorded: false };

export interface BroadcastStore {
  create(broadcast: Broadcast): Promise<void>;
  get(id: string): Promise<Broadcast | undefined>;
  /** Moves the status only from one of `from`, with `changes` in the same write; false when it was elsewhere. */
  transition(id: string, from: readonly BroadcastStatus[], to: BroadcastStatus, changes?: BroadcastChanges): Promise<boolean>;
  /** Newest first; a department's own (or every one for `*`), optionally in one status. */
  list(query: BroadcastQuery): Promise<Page<Broadcast>>;
  /** Puts a released broadcast on the scheduler's list, to start at `startsAt`. */
  scheduleStart(id: string, startsAt: string): Promise<void>;
  /** Scheduled starts due at `now` or before, oldest first. */
  dueToStart(now: string, limit: number): Promise<ScheduledStart[]>;
  /** Takes a start off the scheduler's list (done, or the broadcast was cancelled). */
  clearScheduledStart(start: ScheduledStart): Promise<void>;
  /**
   * Adds to the outcome counters atomically, one write to the small COUNTS item (never the
   * broadcast item), and returns them as they are afterwards; `progressAt` (a send job's, not a
   * receipt's) becomes their `lastProgressAt`. Undefined when the broadcast has no counters
   * (it does not exist, or was made before counters had an item of their own).
   */
  addCounts(id: string, delta: CountsDelta, progressAt?: string): Promise<BroadcastTally | undefined>;
  /**
   * How far the receipt counters have counted one shard of the table's change stream: the last
   * sequence number counted from it, undefined before the first (read strongly).
   */
  receiptsCountedUpTo(id: string, shard: string): Promise<string | undefined>;
  /**
   * Adds receipts to the counters and moves the shard's position from `from` to `upTo`, in one
   * conditional write: false, and nothing added, when the position was no longer `from`;
   * undefined when the broadcast has no counters.
   */
  addReceiptCounts(
    id: string,
    shard: string,
    from: string | undefined,
    upTo: string,
    delta: Pick<CountsDelta, 'delivered' | 'undelivered'>,
  ): Promise<boolean | undefined>;
  /** Where one fan-out task (a topic shard) has got to; undefined before its first page. */
  fanOutCheckpoint(id: string, topicId: string, shard: number): Promise<FanOutCheckpoint | undefined>;
  /**
   * Moves a fan-out task's checkpoint from `from` to `to` and adds `delta` to the broadcast's
   * targeted and pending counts, in one atomic write; undefined, and nothing added, when the
   * checkpoint was no longer at `from` (another delivery of the same task got there first). So a
   * task SQS delivers twice, or retries after a failure part-way, counts each page and its own
   * completion once. Returns the broadcast afterwards, with its outcome counters.
   */
  advanceFanOut(
    id: string,
    step: { topicId: string; shard: number; from: FanOutCheckpoint | undefined; to: FanOutCheckpoint },
    delta: FanOutDelta,
  ): Promise<Broadcast | undefined>;
  /**
   * Overwrites one send job's totals (its JOB# item) and returns what it held before, so the
   * caller adds only the difference to the counters. Refused (nothing written) when the item
   * already holds more recipients done (sent + failed + skipped) than `totals`: a run's stale
   * totals never replace a later run's, so a job's item only ever grows.
   */
  recordJob(id: string, jobId: string, totals: JobTotals, at: string): Promise<JobRecording>;
  /** The exact rollup: every job's totals summed, read strongly. */
  sumOfJobs(id: string): Promise<{ jobs: number; totals: JobTotals }>;
  /**
   * Sets the outcome counters (sent, failed, skipped and its reasons, cost) to exact values, as
   * absolute values (so repeating it is harmless); delivered and undelivered, receipt-driven, stay.
   */
  settleCounts(id: string, totals: JobTotals): Promise<void>;
  /**
   * Every broadcast now sending (there are few at a time), for the sweeper. A broadcast is on
   * this list from before its move to sending until after its move away, so none is missed; one
   * found no longer sending (a move that failed or stopped part-way) is taken off as it is found.
   */
  sending(): Promise<Broadcast[]>;
  delete(id: string): Promise<void>;
  /** The latest broadcasts to a topic, newest first (to link a resident's reply to one). */
  recentForTopic(topicId: string, limit: number): Promise<{ broadcastId: string; createdAt: string }[]>;
}

/** What a move of a broadcast may set alongside its status. */
type ChangeableBroadcastField =
  'approvedBy' | 'approvedAt' | 'rejectedBy' | 'rejectionReason' | 'cancelledBy' | 'cancelledAt' | 'startsAt' | 'approval' | 'audience' | 'capDay';
/** `null` removes a field (an approval taken back when its start failed). */
export type BroadcastChanges = { [K in ChangeableBroadcastField]?: Broadcast[K] | null };

export interface BroadcastQuery {
  /** `*` for every department (operators). */
  department: string;
  status?: BroadcastStatus;
  limit: number;
  cursor: string | undefined;
}

export interface ScheduledStart {
  broadcastId: string;
  startsAt: string;
}

/** A fan-out task's progress: the next index page to read, or done. */
export type FanOutCheckpoint =
  | { done: false; cursor: string; /** The last phone enqueued, so a resumed task still enqueues each resident once. */ lastPhone: string | undefined }
  | { done: true };

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

/** A claim taken, or the record that held the message already (another run's or an earlier one's). */
/** What a receipt moved: the message's status before it, and the broadcast it belongs to, if any. */
export interface AppliedReceipt {
  previous: MessageStatus;
  broadcastId: string | undefined;
}

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
   * sender identity it went from ride in the same write.
   */
  markSent(messageId: string, provider: string, providerMessageId: string, at: string, extra?: SentExtras): Promise<void>;
  markFailed(messageId: string, errorCode: string | undefined, at: string): Promise<void>;
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

export interface Stores {
  topics: TopicStore;
  subscribers: SubscriberStore;
  topicIndex: TopicIndex;
  broadcasts: BroadcastStore;
  messages: MessageStore;
  inbound: InboundLog;
  inbox: InboxStore;
  replyTexts: ReplyTextStore;
  apiKeys: ApiKeyStore;
  staff: StaffStore;
  templates: TemplateStore;
  audit: AuditLog;
  departments: DepartmentStore;
  importBatches: ImportBatchStore;
}
