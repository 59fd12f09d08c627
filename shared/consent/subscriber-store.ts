import type {
  Channel,
  ConsentEvent,
  ConsentEvidence,
  PendingConfirmation,
  Recipient,
  SubscriberProfile,
  Subscription,
} from '../domain/model.js';
import type { Language, LanguageSource } from '../domain/language.js';
import type { AgeBand } from '../domain/profile.js';

/**
 * What a resident agreed to and what is kept of them: profile, subscriptions, the consent ledger,
 * opt-outs, imports and erasure; the keyword rules that call it are in shared/consent/.
 */

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
  /** Written with a language: 'chosen' by LANG (see shared/consent/kept-language.ts). */
  languageSource?: LanguageSource;
  area?: string;
  /** `null` forgets the band (a resident who says they are under 13). */
  ageBand?: AgeBand | null;
}
