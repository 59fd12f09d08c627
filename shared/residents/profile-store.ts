import type { Language, LanguageSource } from '../domain/language.js';
import type { Channel, ConsentEvidence, SubscriberProfile } from '../domain/model.js';
import type { AgeBand } from '../domain/profile.js';

/**
 * What is kept of a resident beside their consent: area, language, age band, the WhatsApp window
 * and the day's automatic reply. One part of the subscriber store (shared/consent/subscriber-store.ts);
 * a change is recorded in the consent ledger as every consent change is.
 */
export interface ProfileStore {
  getProfile(phone: string): Promise<SubscriberProfile | undefined>;
  /**
   * Many profiles at once, by phone; residents without one are absent. `consistent` for a
   * decision a STOP written a moment ago must change (the sender's), eventual for counting.
   */
  profilesOf(phones: readonly string[], options: { consistent: boolean }): Promise<Map<string, SubscriberProfile>>;
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
  /**
   * True the first time it is asked on a given day (`YYYY-MM-DD`, the deployment's calendar) for
   * a resident: one automatic reply a day. `at` dates a profile this creates.
   */
  claimDailyAcknowledgement(phone: string, day: string, at?: string): Promise<boolean>;
  /** A WhatsApp message from the resident opens the 24-hour window for free-text replies. */
  recordWhatsAppWindow(phone: string, at: string): Promise<void>;
}

export interface ProfileChanges {
  language?: Language;
  /** Written with a language: 'chosen' by LANG (see shared/consent/kept-language.ts). */
  languageSource?: LanguageSource;
  area?: string;
  /** `null` forgets the band (a resident who says they are under 13). */
  ageBand?: AgeBand | null;
}
