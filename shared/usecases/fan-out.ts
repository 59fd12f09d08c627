import type { FanOutTask, SendJob } from '../domain/jobs.js';
import { defaultLanguage } from '../domain/language.js';
import type { Broadcast, Recipient } from '../domain/model.js';
import { hasFilters, matchesFilters } from '../domain/targeting.js';
import type { FanOutCheckpoint, FanOutDelta } from '../ports/stores.js';
import { metricsOf } from '../platform/metrics.js';
import { logger } from '../runtime/logger.js';
import { completeIfDone } from './broadcast-progress.js';
import type { FanOutDependencies } from './dependencies.js';

const INDEX_PAGE_SIZE = 500;
/**
 * Pages a normal-priority task streams in one run (5,000 residents, under a second in AWS) before
 * it puts itself back on the fan-out queue to carry on from its checkpoint. Urgent and bulk
 * broadcasts share the fan-out queue: without turns, a big bulk broadcast's shards would hold
 * every fan-out function for as long as they take, and a jam warning's fan-out would wait behind
 * them. Urgent tasks run to the end.
 */
export const BULK_PAGES_PER_TURN = 10;

/**
 * Streams one shard of one topic page by page (memory stays bounded whatever the topic's size)
 * and puts its recipients on the broadcast's lane, many to a queue message.
 *
 * A resident is enqueued once per broadcast: within a shard by phone (their channels are adjacent
 * in sort order), and across topics by leaving them to the first listed topic they belong to.
 */
export async function fanOutShard(deps: FanOutDependencies, task: FanOutTask): Promise<void> {
  const broadcast = await deps.stores.broadcasts.get(task.broadcastId);
  if (!broadcast) {
    logger.warn('fan-out task for a broadcast that does not exist', { task });
    return;
  }
  const started = performance.now();
  try {
    await streamShard(deps, task, broadcast);
  } finally {
    metricsOf(deps).record('FanOutDuration', { priority: broadcast.priority }, performance.now() - started);
  }
}

async function streamShard(deps: FanOutDependencies, task: FanOutTask, broadcast: Broadcast): Promise<void> {
  // SQS delivers at least once, and a task that failed part-way is retried: each page is counted
  // by moving the task's checkpoint, so a second delivery neither counts a page again nor counts
  // the task done twice (which would mark the broadcast sent before other shards went out).
  let checkpoint = await deps.stores.broadcasts.fanOutCheckpoint(broadcast.id, task.topicId, task.shard);
  if (checkpoint?.done) return;
  const advance = async (to: FanOutCheckpoint, delta: FanOutDelta): Promise<boolean> => {
    const after = await deps.stores.broadcasts.advanceFanOut(broadcast.id, { ...task, from: checkpoint, to }, delta);
    if (!after) return false;
    checkpoint = to;
    await completeIfDone(deps.stores, after);
    return true;
  };
  if (broadcast.status !== 'sending') {
    await advance({ done: true }, { fanOutDone: 1 });
    return;
  }
  const earlierTopics = broadcast.topics.slice(0, broadcast.topics.indexOf(task.topicId));
  const queue = deps.sendQueues[broadcast.priority];
  let cursor: string | undefined = checkpoint?.cursor;
  let lastPhone: string | undefined = checkpoint?.lastPhone;
  let pages = 0;
  do {
    if (broadcast.priority === 'normal' && pages === BULK_PAGES_PER_TURN) {
      // Its turn is over: the same task again, at the back of the queue, carries on from the checkpoint.
      await deps.fanOutTasks.send([task]);
      return;
    }
    pages += 1;
    const page = await deps.stores.topicIndex.page(task.topicId, task.shard, cursor, INDEX_PAGE_SIZE);
    const firstOfEachPhone = page.recipients.filter((recipient) => {
      const isNew = recipient.phone !== lastPhone;
      lastPhone = recipient.phone;
      return isNew;
    });
    const recipients = await matchingFilters(deps, broadcast, await withoutMembersOf(deps, earlierTopics, task.shard, firstOfEachPhone));
    const jobs: SendJob[] = [];
    for (let start = 0; start < recipients.length; start += deps.recipientsPerJob) {
      jobs.push({ kind: 'broadcast', broadcastId: broadcast.id, topicId: task.topicId, recipients: recipients.slice(start, start + deps.recipientsPerJob) });
    }
    await queue.send(jobs);
    const next: FanOutCheckpoint = page.cursor ? { done: false, cursor: page.cursor, lastPhone } : { done: true };
    // Lost to another delivery of this task that is further on: it carries on from there.
    if (!(await advance(next, { targeted: recipients.length, ...(page.cursor ? {} : { fanOutDone: 1 }) }))) return;
    metricsOf(deps).record('RecipientsTargeted', { priority: broadcast.priority }, recipients.length);
    cursor = page.cursor;
  } while (cursor);
}

/**
 * Keeps the residents who match the broadcast's segment filters (area, age band, language), read
 * from their profiles a hundred at a time. Only filtered broadcasts pay for these reads; the
 * sender checks consent again, strongly, just before each send.
 */
async function matchingFilters(deps: FanOutDependencies, broadcast: Broadcast, recipients: Recipient[]): Promise<Recipient[]> {
  if (!hasFilters(broadcast.filters) || recipients.length === 0) return recipients;
  const profiles = await deps.stores.subscribers.profilesOf(
    recipients.map((recipient) => recipient.phone),
    { consistent: false },
  );
  return recipients.filter((recipient) => {
    const profile = profiles.get(recipient.phone);
    return profile !== undefined && matchesFilters(profile, broadcast.filters, defaultLanguage);
  });
}

/**
 * Drops residents who also belong to a topic listed earlier: that topic's task sends to them. One
 * range read of each earlier topic's same shard per page, not one read per resident.
 */
async function withoutMembersOf(deps: FanOutDependencies, topics: string[], shard: number, recipients: Recipient[]): Promise<Recipient[]> {
  if (topics.length === 0 || recipients.length === 0) return recipients;
  const phones = recipients.map((recipient) => recipient.phone);
  const memberships = await Promise.all(topics.map((topicId) => deps.stores.topicIndex.membersAmong(topicId, shard, phones)));
  return recipients.filter((recipient) => !memberships.some((members) => members.has(recipient.phone)));
}
