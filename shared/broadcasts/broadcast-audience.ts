import { defaultLanguage } from '../domain/language.js';
import type { Broadcast, Recipient } from '../domain/model.js';
import { hasFilters, matchesFilters } from '../domain/targeting.js';
import type { BroadcastStartDependencies, CoreDependencies } from '../ports/dependencies.js';
import type { WithSubscribers } from '../ports/stores.js';
import type { ProfileStore } from '../residents/profile-store.js';

const INDEX_PAGE_SIZE = 500;
/**
 * Above this many subscriptions the residents are not walked one by one at submission: the walk
 * would outlast the admin API's time limit (10 s in the catalog, 30 s at API Gateway). The limits
 * are then checked against the topics' totals, an upper bound: a large filtered broadcast may meet
 * a cap or threshold it would not reach, never the other way round.
 */
export const EXACT_AUDIENCE_LIMIT = 10_000;

/**
 * The audience a department's limits are checked against when a broadcast is submitted. One
 * topic without filters: its subscriber count (a few reads, whatever its size). Several topics
 * without filters: their index entries, a resident once. Segment filters: the residents counted
 * one by one, as the fan-out will walk them (a resident in two topics once, only those matching
 * the filters, their profiles read), so a filtered broadcast is not refused for
 * residents it would never reach — up to {@link EXACT_AUDIENCE_LIMIT} subscriptions. Profiles are read eventually consistent: the
 * sender checks consent again before each send.
 */
export async function estimateAudience(
  deps: WithSubscribers<CoreDependencies, ProfileStore> & Pick<BroadcastStartDependencies, 'topicShards'>,
  broadcast: Pick<Broadcast, 'topics' | 'filters'>,
): Promise<number> {
  const upperBound = await subscriptionTotal(deps, broadcast.topics);
  if ((broadcast.topics.length === 1 && !hasFilters(broadcast.filters)) || upperBound > EXACT_AUDIENCE_LIMIT) return upperBound;
  let audience = 0;
  if (!hasFilters(broadcast.filters)) {
    // Residents in several topics, counted once, from the topic index alone: the fan-out reads no
    // profile for a broadcast without filters either, so this is exactly what it will target, and a
    // profile read per resident would cost more than the index pages (half a read unit each, the
    // largest read a multi-topic broadcast made). A STOP removes the resident's index entries.
    for await (const recipients of audiencePages(deps, broadcast.topics)) audience += recipients.length;
    return audience;
  }
  for await (const recipients of audiencePages(deps, broadcast.topics)) {
    const profiles = await deps.stores.subscribers.profilesOf(recipients.map((recipient) => recipient.phone), { consistent: false });
    for (const recipient of recipients) {
      const profile = profiles.get(recipient.phone);
      if (profile && profile.optedOut[recipient.channel] === undefined && matchesFilters(profile, broadcast.filters, defaultLanguage)) audience += 1;
    }
  }
  return audience;
}

/**
 * The audience a page at a time: each topic's shards in order, a resident once (the first topic
 * and channel they are found on), as the fan-out sends it. With `perShard`, at most that many
 * index entries of each shard are read: a sample spread over every topic and shard.
 */
export async function* audiencePages(
  deps: WithSubscribers<CoreDependencies, unknown> & Pick<BroadcastStartDependencies, 'topicShards'>,
  topics: readonly string[],
  perShard = Number.POSITIVE_INFINITY,
): AsyncGenerator<Recipient[]> {
  const seen = new Set<string>();
  for (const topicId of topics) {
    for (let shard = 0; shard < deps.topicShards; shard += 1) {
      let cursor: string | undefined;
      let read = 0;
      do {
        const page = await deps.stores.topicIndex.page(topicId, shard, cursor, Math.min(INDEX_PAGE_SIZE, perShard - read));
        read += page.recipients.length;
        const fresh = page.recipients.filter((recipient) => !seen.has(recipient.phone) && seen.add(recipient.phone));
        if (fresh.length > 0) yield fresh;
        cursor = page.cursor;
      } while (cursor && read < perShard);
    }
  }
}

/** The topics' subscriptions added up: a resident in two topics, or on two channels, counts twice. */
export async function subscriptionTotal(deps: WithSubscribers<CoreDependencies, unknown>, topics: readonly string[]): Promise<number> {
  const totals = await Promise.all(topics.map((topicId) => deps.stores.topics.subscriberCount(topicId)));
  return totals.reduce((sum, count) => sum + count, 0);
}
