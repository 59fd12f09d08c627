import { isDeepStrictEqual } from 'node:util';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../shared/adapters/dynamo/keys.js';
import { DynamoSubscriberStore } from '../shared/adapters/dynamo/subscriber-store.js';
import { shardOf } from '../shared/domain/sharding.js';
import type { Resident } from './population.js';
import { residentItems, writeBatch } from './seed-batch.js';
import { seedOneThroughStore } from './seed-store.js';

/*
 * The check that keeps batch seeding honest: the same residents written both ways must leave the
 * same items, or batch mode is not used (seed.ts falls back to the store).
 */

/**
 * Writes two residents per channel through the store and the same residents (other numbers) in a
 * batch, and compares everything in their partitions and index entries with the number masked.
 * Returns what differs, or undefined. The parity residents are in no broadcast topic's audience:
 * they join topics of their own, so they add nothing to the measured broadcast.
 */
export async function batchParityProblem(documents: DynamoDBDocumentClient, tableName: string, shards: number): Promise<string | undefined> {
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
