import { shardsOf } from './fan-out-tasks.js';
import { sendJobsFor } from './send-jobs.js';
import type { FanOutTask } from '../domain/jobs.js';
import { defaultLanguage } from '../domain/language.js';
import type { Broadcast, Recipient } from '../domain/model.js';
import { hasFilters, matchesFilters } from '../domain/targeting.js';
import type { FanOutCheckpoint, FanOutDelta } from './broadcast-store.js';
import { metricsOf } from '../platform/metrics.js';
import { logger } from '../runtime/logger.js';
import { completeIfDone } from './broadcast-progress.js';
import type { FanOutDependencies as AllFanOutDependencies } from '../ports/dependencies.js';
import type { WithSubscribers } from '../ports/stores.js';
import type { ProfileStore } from '../residents/profile-store.js';

/** Of a resident, the fan-out reads the profile a broadcast's filters match against, and nothing else. */
type FanOutDependencies = WithSubscribers<AllFanOutDependencies, ProfileStore>;

const INDEX_PAGE_SIZE = 500;
/**
 * Pages a normal-priority task reads in one run (about 5,000 residents, under a second in AWS)
 * before it puts itself back on the fan-out queue to carry on from its checkpoints: no round of
 * pages starts once a run has read this many (a task of 8 shards reads two rounds of 8 pages,
 * each round's side by side). Urgent and bulk broadcasts share the fan-out queue: without turns, a big bulk
 * broadcast's tasks would hold every fan-out function for as long as they take, and a jam
 * warning's fan-out would wait behind them. Urgent tasks run to the end.
 */
export const BULK_PAGES_PER_TURN = 10;

/**
 * Streams a task's shards of one topic (shared/broadcasts/fan-out-tasks.ts) page by page, side by
 * side (memory stays bounded whatever the topic's size), and puts their recipients on the
 * broadcast's lane in full send jobs: a round reads the next page of every shard not yet done,
 * packs the round's recipients, from every shard, into jobs of `recipientsPerJob` (the last of
 * the round short), queues them, then moves each shard's checkpoint.
 *
 * A resident is enqueued once per broadcast: within a shard by phone (their channels are adjacent
 * in sort order), and across topics by leaving them to the first listed topic they belong to.
 */
export async function fanOutShards(deps: FanOutDependencies, task: FanOutTask): Promise<void> {
  const broadcast = await deps.stores.broadcasts.get(task.broadcastId);
  if (!broadcast) {
    logger.warn('fan-out task for a broadcast that does not exist', { task });
    return;
  }
  const started = performance.now();
  try {
    await streamShards(deps, task, broadcast);
  } finally {
    metricsOf(deps).record('FanOutDuration', { priority: broadcast.priority }, performance.now() - started);
  }
}

/** One shard of the task as its run has got it: where its checkpoint stands, and its next page. */
interface ShardStream {
  shard: number;
  checkpoint: FanOutCheckpoint | undefined;
  cursor: string | undefined;
  lastPhone: string | undefined;
}

/** What one round read from one shard: the recipients it enqueues, and the checkpoint after them. */
interface ShardPage {
  stream: ShardStream;
  recipients: Recipient[];
  next: FanOutCheckpoint;
}

async function streamShards(deps: FanOutDependencies, task: FanOutTask, broadcast: Broadcast): Promise<void> {
  // SQS delivers at least once, and a task that failed part-way is retried: each page is counted
  // by moving its shard's checkpoint, after its recipients are queued, so a second delivery
  // neither counts a page again nor counts a shard done twice (which would mark the broadcast
  // sent before other shards went out). A run that dies between queueing a round and moving its
  // checkpoints queues those recipients again: the sender's claim sends each once, and counts
  // them in the job that claimed them first (recountJob).
  const checkpoints = await Promise.all(
    shardsOf(task).map(async (shard) => ({ shard, checkpoint: await deps.stores.broadcasts.fanOutCheckpoint(broadcast.id, task.topicId, shard) })),
  );
  const streams: ShardStream[] = checkpoints.flatMap(({ shard, checkpoint }) =>
    checkpoint?.done ? [] : [{ shard, checkpoint, cursor: checkpoint?.cursor, lastPhone: checkpoint?.lastPhone }],
  );
  const advance = async (stream: ShardStream, to: FanOutCheckpoint, delta: FanOutDelta): Promise<boolean> => {
    const after = await deps.stores.broadcasts.advanceFanOut(broadcast.id, { topicId: task.topicId, shard: stream.shard, from: stream.checkpoint, to }, delta);
    if (!after) return false;
    stream.checkpoint = to;
    await completeIfDone(deps.stores, after);
    return true;
  };
  if (broadcast.status !== 'sending') {
    for (const stream of streams) await advance(stream, { done: true }, { fanOutDone: 1 });
    return;
  }
  const earlierTopics = broadcast.topics.slice(0, broadcast.topics.indexOf(task.topicId));
  const queue = deps.sendQueues[broadcast.priority];
  let open = streams;
  let pages = 0;
  while (open.length > 0) {
    if (broadcast.priority === 'normal' && pages >= BULK_PAGES_PER_TURN) {
      // Its turn is over: the same task again, at the back of the queue, carries on from the checkpoints.
      await deps.fanOutTasks.send([task]);
      return;
    }
    pages += open.length;
    const round = await Promise.all(open.map((stream) => nextPage(deps, broadcast, task.topicId, earlierTopics, stream)));
    const jobs = sendJobsFor(broadcast.id, task.topicId, round.flatMap((page) => page.recipients), deps.recipientsPerJob);
    if (jobs.length > 0) await queue.send(jobs);
    // Side by side: each shard's checkpoint is an attribute of its own, moved by a conditional write of its own.
    const advanced = await Promise.all(
      round.map(async ({ stream, recipients, next }) => {
        // Lost to another delivery of this task that is further on with this shard: it carries on from there.
        if (!(await advance(stream, next, { targeted: recipients.length, ...(next.done ? { fanOutDone: 1 } : {}) }))) return undefined;
        metricsOf(deps).record('RecipientsTargeted', { priority: broadcast.priority }, recipients.length);
        return next.done ? undefined : stream;
      }),
    );
    open = advanced.filter((stream) => stream !== undefined);
  }
}

/** Reads a shard's next index page: its residents to enqueue, each once, and the checkpoint after the page. */
async function nextPage(deps: FanOutDependencies, broadcast: Broadcast, topicId: string, earlierTopics: string[], stream: ShardStream): Promise<ShardPage> {
  const page = await deps.stores.topicIndex.page(topicId, stream.shard, stream.cursor, INDEX_PAGE_SIZE);
  const firstOfEachPhone = page.recipients.filter((recipient) => {
    const isNew = recipient.phone !== stream.lastPhone;
    stream.lastPhone = recipient.phone;
    return isNew;
  });
  const recipients = await matchingFilters(deps, broadcast, await withoutMembersOf(deps, earlierTopics, stream.shard, firstOfEachPhone));
  stream.cursor = page.cursor;
  const next: FanOutCheckpoint = page.cursor ? { done: false, cursor: page.cursor, lastPhone: stream.lastPhone } : { done: true };
  return { stream, recipients, next };
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
