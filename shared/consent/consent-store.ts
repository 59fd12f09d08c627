import type { Channel, ConsentEvent, ConsentEvidence, PendingConfirmation, Recipient, SubscriberProfile, Subscription } from '../domain/model.js';

/**
 * What a resident agreed to: their subscriptions, the consent ledger, opt-outs and the JOINs
 * waiting for a YES. The keyword rules that call it are beside it (consent-intents.ts,
 * consent-rules.ts); one part of the subscriber store (subscriber-store.ts).
 */
export interface ConsentStore {
  subscriptions(phone: string): Promise<Subscription[]>;
  consentHistory(phone: string): Promise<ConsentEvent[]>;
  /**
   * What a sender checks just before a resident's slot, read strongly in one request: their
   * profile (undefined once erased) and whether they are still in the topic on that channel.
   */
  consentToSend(phone: string, channel: Channel, topicId: string): Promise<{ profile: SubscriberProfile | undefined; subscribed: boolean }>;
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
  /** Keeps a JOIN to a confirmed-opt-in topic until the resident's YES, and records the request. */
  requestConfirmation(phone: string, pending: PendingConfirmation, evidence: ConsentEvidence): Promise<void>;
  /** The JOIN waiting for confirmation on a channel, removed as it is taken. */
  takePendingConfirmation(phone: string, channel: Channel): Promise<PendingConfirmation | undefined>;
  /** The opt-out state of many residents at once (a send batch). */
  optedOutAmong(recipients: readonly Recipient[]): Promise<Set<string>>;
}
