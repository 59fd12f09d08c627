import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../shared/adapters/dynamo/keys.js';
import { shardOf } from '../shared/domain/sharding.js';
import type { Resident } from './population.js';
import { progressReporter, type Seeder } from './seed-report.js';
import { SEED_EVIDENCE } from './seed-store.js';

/*
 * Seeding in batches: the items the store would write, 25 to a BatchWriteItem, with each shard's
 * count written once at the end. Several times faster than the store; seed-parity.ts checks the
 * layout against the store's before it is used.
 */

type Item = Record<string, unknown>;

/** The items the store writes for one resident (subscribe per topic, then updateProfile), batch-shaped. */
export function residentItems(resident: Resident, shards: number, at: string): Item[] {
  const { phone, channel } = resident;
  const evidenceRef = `admin:${SEED_EVIDENCE.kind === 'admin' ? SEED_EVIDENCE.actor : ''}:${at}`;
  const shard = shardOf(phone, shards);
  const items: Item[] = [
    {
      ...keys.profile(phone),
      createdAt: at,
      type: 'profile',
      area: resident.area,
      language: resident.language,
      ageBand: resident.ageBand,
    },
    {
      ...keys.consentEvent(phone, `profile#${channel}#*`, evidenceRef),
      type: 'consentEvent',
      at,
      action: 'profile',
      channel,
      evidence: SEED_EVIDENCE,
      changes: { area: resident.area, language: resident.language, ageBand: resident.ageBand },
    },
  ];
  for (const topicId of resident.topics) {
    items.push(
      { ...keys.consentEvent(phone, `opt_in#${channel}#${topicId}`, evidenceRef), type: 'consentEvent', at, action: 'opt_in', channel, topicId, evidence: SEED_EVIDENCE },
      { ...keys.topicIndexEntry(topicId, shard, phone, channel), type: 'topicIndexEntry', phone, channel },
      // Counted under the resident's language, as the store's JOIN then LANG leaves it (topic-counters.ts).
      { ...keys.subscription(phone, channel, topicId), type: 'subscription', channel, topicId, since: at, countedLanguage: resident.language },
    );
  }
  return items;
}

export async function writeBatch(documents: DynamoDBDocumentClient, tableName: string, items: Item[]): Promise<void> {
  let pending: Record<string, unknown>[] = items.map((item) => ({ PutRequest: { Item: item } }));
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
    if (attempt > 10) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed after ${attempt} attempts`);
    const response = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
    pending = (response.UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
  }
}

export const seedInBatches: Seeder = async (documents, tableName, shards, residents, options) => {
  const progress = progressReporter(residents.length, options);
  /** Each shard's counters as the store's ADDs would leave them: the total, by channel, by language. */
  const shardCounts = new Map<string, Record<string, number>>();
  let subscriptions = 0;
  let nextIndex = 0;
  const RESIDENTS_PER_CHUNK = 100;
  try {
    const worker = async () => {
      while (nextIndex < residents.length) {
        const chunk = residents.slice(nextIndex, nextIndex + RESIDENTS_PER_CHUNK);
        nextIndex += chunk.length;
        const at = new Date().toISOString();
        const items = chunk.flatMap((resident) => residentItems(resident, shards, at));
        for (const resident of chunk) {
          for (const topicId of resident.topics) {
            const key = keys.topicShard(topicId, shardOf(resident.phone, shards));
            const counters = shardCounts.get(key) ?? {};
            for (const name of ['count', `channel_${resident.channel}`, `language_${resident.language}`]) counters[name] = (counters[name] ?? 0) + 1;
            shardCounts.set(key, counters);
            subscriptions += 1;
          }
        }
        for (let start = 0; start < items.length; start += 25) await writeBatch(documents, tableName, items.slice(start, start + 25));
        progress.advance(chunk.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, Math.ceil(residents.length / RESIDENTS_PER_CHUNK)) }, worker));
    // Each shard's subscriber count once, as the store's ADDs would have left it.
    const counts = [...shardCounts].map(([pk, counters]) => ({ pk, sk: keys.topicShardCount('x', 0).sk, ...counters }));
    for (let start = 0; start < counts.length; start += 25) await writeBatch(documents, tableName, counts.slice(start, start + 25));
  } catch (error) {
    progress.stop();
    throw error;
  }
  return progress.finish(subscriptions, 'batch');
};
