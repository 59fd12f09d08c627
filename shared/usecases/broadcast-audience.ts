import type { Broadcast } from '../domain/model.js';
import type { CoreDependencies } from './dependencies.js';

/**
 * The audience a broadcast's limits are checked against when it is submitted. Without segment
 * filters it is the topics' subscriber counts added up (a few reads, whatever the size): exact
 * for one topic, and an upper bound for several (a resident in two is counted twice), which is
 * the safe side for a cap.
 */
export async function estimateAudience(deps: CoreDependencies, broadcast: Pick<Broadcast, 'topics'>): Promise<number> {
  const counts = await Promise.all(broadcast.topics.map((topicId) => deps.stores.topics.subscriberCount(topicId)));
  return counts.reduce((sum, count) => sum + count, 0);
}
