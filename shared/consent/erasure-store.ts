/**
 * Erasure and retention of what is kept of a resident (the rules: erasure-rules.ts beside it,
 * shared/retention/schedule.ts). One part of the subscriber store (subscriber-store.ts).
 */
export interface ErasureStore {
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
}

/** What an erasure has to look for outside the resident's own records. */
export interface ErasureFootprint {
  /** Every topic the resident was ever subscribed to or asked to join: its broadcasts may have reached them. */
  topicIds: string[];
}
