import type { Recipient } from '../domain/model.js';

/**
 * Each topic's subscribers, sharded by number, as the fan-out reads them a page at a time.
 */

export interface TopicIndexPage {
  recipients: Recipient[];
  /**
   * Opaque; absent on the last page. Unlike a listing's (ports/page.ts), it may lead to an empty
   * page when the last page was exactly full (DynamoDB's own LastEvaluatedKey): the fan-out then
   * reads one page more and finds nothing, which its checkpoint counts as done.
   */
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
