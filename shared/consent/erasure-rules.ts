/*
 * What an erasure leaves to do after it: pure rules over what the subscriber stores read from a
 * resident's records, so the DynamoDB store and the tests' in-memory one decide alike.
 */

/** The topics a resident's records name, as a store reads them before erasing them. */
export interface ResidentTopics {
  /** The topics they are subscribed to (any channel). */
  subscribed: readonly string[];
  /** The topics their consent records name (a JOIN, a LEAVE, a JOIN waiting for YES, an import). */
  recorded: readonly string[];
  /** The topics an opt-out holds for START (any channel). */
  held: readonly string[];
}

/**
 * The topics an erasure must recount and whose broadcasts may have reached the resident: every
 * topic any of their records names, once each, sorted so the footprint reads the same from any store.
 */
export function erasureFootprint(topics: ResidentTopics): { topicIds: string[] } {
  return { topicIds: [...new Set([...topics.subscribed, ...topics.recorded, ...topics.held])].sort() };
}
