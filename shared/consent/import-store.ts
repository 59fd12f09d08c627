import type { Channel, ConsentEvidence } from '../domain/model.js';
import type { ProfileChanges } from '../residents/profile-store.js';

/**
 * Subscriptions brought in by an import batch, and taken back (the rules: import-rules.ts beside
 * it). One part of the subscriber store (subscriber-store.ts).
 */
export interface ImportStore {
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
