import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../shared/adapters/dynamo/keys.js';
import { DynamoSubscriberStore } from '../shared/adapters/dynamo/subscriber-store.js';
import { shardOf } from '../shared/domain/sharding.js';
import type { AgeBand } from '../shared/domain/profile.js';
import type { Language } from '../shared/domain/language.js';
import type { Channel, ConsentEvidence } from '../shared/domain/model.js';
import type { AdminApi } from './admin-api.js';

/**
 * The benchmark's residents: a deterministic population (same --subscribers, same residents) over
 * three overlapping topics, with varied channels, areas, languages and age bands, plus a small
 * area topic for the urgent run. Seeded through `DynamoSubscriberStore` itself, so the items are
 * exactly those a resident's JOIN writes (consent record, profile, index entry, subscription,
 * shard count), without going through 50,000 signed webhooks.
 *
 * Two ways to write them:
 * - `store`: `DynamoSubscriberStore.subscribe` and `updateProfile` for every resident, 64 residents
 *   at a time. Exact by construction, but about a dozen SDK requests a resident, and the local
 *   stack (one Node process for dynalite, SQS and every function) manages a few hundred a second.
 * - `batch`: the same items written 25 to a BatchWriteItem, with each shard's count written once.
 *   Before it is used, a handful of residents are written both ways and their items compared
 *   field by field with the phone number masked; any difference aborts batch mode in favour of
 *   the store (and prints it), so the batch layout cannot silently drift from the store's.
 */

export interface BenchTopic {
  id: string;
  name: string;
  keywords: string[];
  /** Share of residents who join it. */
  share: number;
}

export const BROADCAST_TOPICS: BenchTopic[] = [
  { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'], share: 0.6 },
  { id: 'youth', name: 'Youth services', keywords: ['YOUTH'], share: 0.35 },
  { id: 'news', name: 'Council news', keywords: ['NEWS'], share: 0.5 },
];

/** Traffic alerts for one district: the urgent run's audience (traffic subscribers in CF10). */
export const URGENT_TOPIC: BenchTopic = { id: 'traffic-cf10', name: 'Traffic alerts CF10', keywords: ['CF10'], share: 0 };
const URGENT_AREA = 'CF10';

const AREAS = Array.from({ length: 15 }, (_, index) => `CF${10 + index}`);
const LANGUAGES: [Language, number][] = [
  ['en', 0.7],
  ['cy', 0.25],
  ['es', 0.05],
];
const AGE_BANDS: AgeBand[] = ['13-15', '16-17', '18-24', '25+'];
const WHATSAPP_SHARE = 0.15;

export interface Resident {
  phone: string;
  channel: Channel;
  topics: string[];
  area: string;
  language: Language;
  ageBand: AgeBand;
}

/** A small deterministic PRNG (mulberry32), so every run seeds the same residents. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function population(count: number): Resident[] {
  const next = random(20_240_601);
  const residents: Resident[] = [];
  for (let index = 0; index < count; index += 1) {
    const topics = BROADCAST_TOPICS.filter((topic) => next() < topic.share).map((topic) => topic.id);
    if (topics.length === 0) topics.push(BROADCAST_TOPICS[Math.floor(next() * BROADCAST_TOPICS.length)]!.id);
    const area = AREAS[Math.floor(next() * AREAS.length)]!;
    if (area === URGENT_AREA && topics.includes('traffic')) topics.push(URGENT_TOPIC.id);
    let draw = next();
    const language = LANGUAGES.find(([, share]) => (draw -= share) < 0)?.[0] ?? 'en';
    residents.push({
      // +44 74xx xxxxxx: UK mobile numbers, one per resident.
      phone: `+4474${String(index).padStart(8, '0')}`,
      channel: next() < WHATSAPP_SHARE ? 'whatsapp' : 'sms',
      topics,
      area,
      language,
      ageBand: AGE_BANDS[Math.floor(next() * AGE_BANDS.length)]!,
    });
  }
  return residents;
}

export async function createTopics(api: AdminApi): Promise<void> {
  for (const topic of [...BROADCAST_TOPICS, URGENT_TOPIC]) {
    await api.expect(201, 'POST', '/v1/topics', { id: topic.id, name: topic.name, keywords: topic.keywords });
  }
}

export type SeedMode = 'store' | 'batch';

export interface SeedResult {
  mode: SeedMode;
  /** Batch mode: what the comparison with the store found (undefined: items identical). */
  parityProblem?: string;
  residents: number;
  subscriptions: number;
  seconds: number;
  residentsPerSecond: number;
  /** True when seeding ran longer than the time box (the user should pass a smaller --subscribers). */
  overTimeBox: boolean;
}

const EVIDENCE: ConsentEvidence = { kind: 'admin', actor: 'bench-seed', reason: 'delivery benchmark population' };

export interface SeedOptions {
  mode: SeedMode;
  concurrency?: number;
  timeBoxSeconds?: number;
  log: (line: string) => void;
}

/** Seeds the residents (see the two modes above) and reports the rate. */
export async function seedResidents(
  documents: DynamoDBDocumentClient,
  tableName: string,
  shards: number,
  residents: Resident[],
  options: SeedOptions,
): Promise<SeedResult> {
  if (options.mode === 'batch') {
    const problem = await batchParityProblem(documents, tableName, shards);
    if (!problem) return seedInBatches(documents, tableName, shards, residents, options);
    options.log(`seeding: batch items differ from the store's (${problem}); seeding through the store instead`);
    return { ...(await seedThroughStore(documents, tableName, shards, residents, options)), parityProblem: problem };
  }
  return seedThroughStore(documents, tableName, shards, residents, options);
}

/** A time-boxed progress line every 5 s, and one warning if the projected time is over the box. */
function progressReporter(total: number, { timeBoxSeconds = 180, log }: SeedOptions) {
  const started = performance.now();
  let warned = false;
  let done = 0;
  const timer = setInterval(() => {
    const seconds = (performance.now() - started) / 1000;
    const rate = done / Math.max(seconds, 0.001);
    const projected = total / Math.max(rate, 0.001);
    log(`seeding: ${done}/${total} residents, ${rate.toFixed(0)}/s, ~${Math.max(0, projected - seconds).toFixed(0)} s to go`);
    if (!warned && done > 0 && projected > timeBoxSeconds) {
      warned = true;
      log(
        `seeding ${total} residents will take ~${(projected / 60).toFixed(1)} min on this machine (time box ${timeBoxSeconds / 60} min); ` +
          `for a shorter run pass --subscribers ${Math.max(1000, Math.floor((rate * timeBoxSeconds) / 1000) * 1000)}`,
      );
    }
  }, 5_000);
  return {
    advance: (count: number) => {
      done += count;
    },
    finish: (subscriptions: number, mode: SeedMode): SeedResult => {
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      return {
        mode,
        residents: done,
        subscriptions,
        seconds,
        residentsPerSecond: done / Math.max(seconds, 0.001),
        overTimeBox: seconds > timeBoxSeconds,
      };
    },
    stop: () => clearInterval(timer),
  };
}

/** `concurrency` residents in flight at a time, each resident's own writes in order, as the store expects. */
async function seedThroughStore(
  documents: DynamoDBDocumentClient,
  tableName: string,
  shards: number,
  residents: Resident[],
  options: SeedOptions,
): Promise<SeedResult> {
  const store = new DynamoSubscriberStore(documents, tableName, shards);
  const progress = progressReporter(residents.length, options);
  let nextIndex = 0;
  let subscriptions = 0;
  try {
    const worker = async () => {
      while (nextIndex < residents.length) {
        const resident = residents[nextIndex]!;
        nextIndex += 1;
        subscriptions += await seedOneThroughStore(store, resident, new Date().toISOString());
        progress.advance(1);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 64, residents.length) }, worker));
  } catch (error) {
    progress.stop();
    throw error;
  }
  return progress.finish(subscriptions, 'store');
}

async function seedOneThroughStore(store: DynamoSubscriberStore, resident: Resident, at: string): Promise<number> {
  let subscriptions = 0;
  for (const topicId of resident.topics) {
    if (await store.subscribe(resident.phone, resident.channel, topicId, at, EVIDENCE)) subscriptions += 1;
  }
  await store.updateProfile(resident.phone, resident.channel, { area: resident.area, language: resident.language, ageBand: resident.ageBand }, at, EVIDENCE);
  return subscriptions;
}

type Item = Record<string, unknown>;

/** The items the store writes for one resident (subscribe per topic, then updateProfile), batch-shaped. */
function residentItems(resident: Resident, shards: number, at: string): Item[] {
  const { phone, channel } = resident;
  const evidenceRef = `admin:${EVIDENCE.kind === 'admin' ? EVIDENCE.actor : ''}:${at}`;
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
      evidence: EVIDENCE,
      changes: { area: resident.area, language: resident.language, ageBand: resident.ageBand },
    },
  ];
  for (const topicId of resident.topics) {
    items.push(
      { ...keys.consentEvent(phone, `opt_in#${channel}#${topicId}`, evidenceRef), type: 'consentEvent', at, action: 'opt_in', channel, topicId, evidence: EVIDENCE },
      { ...keys.topicIndexEntry(topicId, shard, phone, channel), type: 'topicIndexEntry', phone, channel },
      // Counted under the resident's language, as the store's JOIN then LANG leaves it (topic-counters.ts).
      { ...keys.subscription(phone, channel, topicId), type: 'subscription', channel, topicId, since: at, countedLanguage: resident.language },
    );
  }
  return items;
}

async function writeBatch(documents: DynamoDBDocumentClient, tableName: string, items: Item[]): Promise<void> {
  let pending: Record<string, unknown>[] = items.map((item) => ({ PutRequest: { Item: item } }));
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
    if (attempt > 10) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed after ${attempt} attempts`);
    const response = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
    pending = (response.UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
  }
}

async function seedInBatches(
  documents: DynamoDBDocumentClient,
  tableName: string,
  shards: number,
  residents: Resident[],
  options: SeedOptions,
): Promise<SeedResult> {
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
}

/**
 * Writes two residents per channel through the store and the same residents (other numbers) in a
 * batch, and compares everything in their partitions and index entries with the number masked.
 * Returns what differs, or undefined. The parity residents are in no broadcast topic's audience:
 * they join topics of their own, so they add nothing to the measured broadcast.
 */
async function batchParityProblem(documents: DynamoDBDocumentClient, tableName: string, shards: number): Promise<string | undefined> {
  const store = new DynamoSubscriberStore(documents, tableName, shards);
  const samples: Resident[] = [
    { phone: '', channel: 'sms', topics: ['bench-parity-a', 'bench-parity-b'], area: 'CF11', language: 'cy', ageBand: '16-17' },
    { phone: '', channel: 'whatsapp', topics: ['bench-parity-b'], area: 'CF24', language: 'es', ageBand: '25+' },
  ];
  for (const [index, sample] of samples.entries()) {
    const at = new Date().toISOString();
    const viaStore = { ...sample, phone: `+4473${String(index).padStart(8, '0')}` };
    const viaBatch = { ...sample, phone: `+4473${String(index + 50).padStart(8, '0')}` };
    await seedOneThroughStore(store, viaStore, at);
    await writeBatch(documents, tableName, residentItems(viaBatch, shards, at));
    const [expected, actual] = await Promise.all([viaStore, viaBatch].map((resident) => itemsOf(documents, tableName, shards, resident)));
    if (!isDeepStrictEqual(expected, actual)) {
      return `store wrote ${JSON.stringify(expected)}, batch wrote ${JSON.stringify(actual)}`;
    }
  }
  return undefined;
}

/** A resident's partition and index entries, sorted, with their number masked. */
async function itemsOf(documents: DynamoDBDocumentClient, tableName: string, shards: number, resident: Resident): Promise<string[]> {
  const partitions = [
    keys.subscriberPartition(resident.phone),
    ...resident.topics.map((topicId) => keys.topicShard(topicId, shardOf(resident.phone, shards))),
  ];
  const items: string[] = [];
  for (const pk of partitions) {
    const { Items } = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: pk.startsWith('SUB#') ? 'pk = :pk' : 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': pk, ...(pk.startsWith('SUB#') ? {} : { ':sk': keys.topicIndexEntry('x', 0, resident.phone, resident.channel).sk }) },
      }),
    );
    for (const item of Items ?? []) {
      const { pk: _pk, ...rest } = item;
      items.push(JSON.stringify(sortKeys(rest)).replaceAll(resident.phone, '<phone>'));
    }
  }
  return items.sort();
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([key, inner]) => [key, sortKeys(inner)]));
  }
  return value;
}

