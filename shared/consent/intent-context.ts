import type { InboundText } from '../domain/inbound.js';
import type { ReplyPurpose } from '../domain/jobs.js';
import type { Language } from '../domain/language.js';
import type { ConsentEvidence, SubscriberProfile } from '../domain/model.js';
import type { ReplyId, ReplyParams } from '../domain/replies.js';
import type { Metrics } from '../platform/metrics.js';
import type { Stores, WithSubscribers } from '../ports/stores.js';
import type { ProfileStore } from '../residents/profile-store.js';
import type { ConsentStore } from './consent-store.js';

/*
 * What a handler of a resident's text (shared/consent/consent-intents.ts for the consent
 * commands, shared/consent/intents.ts for the rest) is given and gives back. Here, beside the
 * keyword router that names the intents, so the consent handlers and the use cases share it
 * without importing each other.
 */

/** What an intent handler uses of the inbound function's dependencies (which have more): of a resident, their consent and profile. */
export type IntentDependencies = WithSubscribers<{ stores: Stores; metrics?: Metrics }, ConsentStore & ProfileStore>;

/** Everything an intent handler knows about the text it is acting on. */
export interface IntentContext {
  deps: IntentDependencies;
  inbound: InboundText;
  at: string;
  evidence: ConsentEvidence;
  profile: SubscriberProfile | undefined;
  /** The language to answer in (see answerLanguage in shared/consent/kept-language.ts). */
  language: Language;
  /** The deployment's time zone (TIME_ZONE): whose calendar day "once a day" means. */
  timeZone: string;
}

export interface PlannedReply {
  id: ReplyId;
  params?: Partial<ReplyParams>;
  purpose: ReplyPurpose;
  /** Answer in this language rather than the context's (LANG changes it). */
  language?: Language;
  /** Whose cost the reply is: the department of the topic it is about (or of the inbox it reached). */
  department?: string;
}

export interface IntentOutcome {
  reply?: PlannedReply;
  /** Replaces the stored inbound text when it must not be kept. */
  redactedBody?: string;
  /**
   * The language the resident's words told, where the handler knows better than the command
   * word: a topic's Welsh keyword alone tells Welsh; free text for the inbox tells none (null).
   * Absent: the command word's language.
   */
  toldLanguage?: Language | null;
}
