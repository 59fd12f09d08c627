import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { dynamoStores } from '../../shared/adapters/dynamo/stores.js';
import type { Stores } from '../../shared/ports/stores.js';
import { importSubscribers } from '../../shared/residents/import-subscribers/import-subscribers.js';
import { aPhone, aPrincipal, aTopic, inboundEvidence } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';
import { failingWhen, partitionOf, type CommandLike } from '../support/failing-documents.js';
import { testPhoneHasher } from '../support/phone-hash.js';
import { FixedClock, SequentialIds } from '../support/in-memory-stores.js';

const SHARDS = 4;
const NOW = '2025-03-01T09:00:00.000Z';
const operator = aPrincipal({ keyId: 'key-operator', role: 'operator', department: 'it' });
const HEADER = 'phone,topic,channel,area,consent_collected_by,consent_collected_at,consent_method';

/** A file of residents 7xx: `count` of them, on the given topic. */
function file(first: number, count: number, topic: string): string {
  const rows = Array.from({ length: count }, (_, n) => `${aPhone(first + n)},${topic},sms,CF10,Youth club,2025-02-20,paper form`);
  return [HEADER, ...rows].join('\n');
}

/** Subscription puts (TOPIC# items) for one resident. */
const subscriptionPutFor = (phone: string) => (command: CommandLike) =>
  command.constructor.name === 'PutCommand' && partitionOf(command) === `SUB#${phone}` && String(command.input.Item?.sk).startsWith('TOPIC#');

describe('importSubscribers against DynamoDB', () => {
  let table: TestTable;
  let stores: Stores;
  const ids = new SequentialIds('audit');
  const deps = (over: Partial<{ stores: Stores }> = {}) => ({ stores, clock: new FixedClock(NOW), ids, ...over });
  const failing = (when: (command: CommandLike) => boolean) => dynamoStores(failingWhen(table.documents, when), table.tableName, SHARDS, { phoneHash: testPhoneHasher });

  beforeAll(async () => {
    table = await freshTable('crier-import');
    stores = dynamoStores(table.documents, table.tableName, SHARDS, { phoneHash: testPhoneHasher });
    for (const id of ['youth', 'parks', 'libraries']) await stores.topics.create(aTopic({ id, keywords: [id.toUpperCase()], department: 'youth' }));
  });

  /** Every item of a resident's partition, and their topic index entries for a topic. */
  async function traces(phone: string, topic: string): Promise<{ partition: string[]; indexed: boolean }> {
    const { Items = [] } = await table.documents.send(
      new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.subscriberPartition(phone) } }),
    );
    const { Items: index = [] } = await table.documents.send(new ScanCommand({ TableName: table.tableName }));
    return {
      partition: Items.map((item) => String(item.sk)).sort(),
      indexed: index.some((item) => String(item.pk).startsWith(`TOPICIDX#${topic}#`) && item.phone === phone),
    };
  }

  it('writes each row as a JOIN would, with the batch marked on what it made', async () => {
    // Act
    const summary = await importSubscribers(deps(), operator, { csv: file(700, 3, 'youth'), defaultCountry: 'GB' });

    // Assess
    expect(summary).toEqual(expect.objectContaining({ imported: 3, alreadySubscribed: 0 }));
    expect(await stores.topics.subscriberCount('youth')).toBe(3);
    expect(await traces(aPhone(700), 'youth')).toEqual({
      partition: [`CONSENT#opt_in#sms#youth#import:${summary.batchId}`, 'PROFILE', 'TOPIC#sms#youth'],
      indexed: true,
    });
    expect(await stores.subscribers.getProfile(aPhone(700))).toEqual(expect.objectContaining({ area: 'CF10', createdAt: NOW }));
  });

  it('leaves nothing of the batch when a write fails part-way, and keeps what was there before', async () => {
    // Prepare
    const known = aPhone(710);
    await stores.subscribers.subscribe(known, 'sms', 'libraries', NOW, inboundEvidence({ text: 'JOIN LIBRARIES' }));
    const knownBefore = await traces(known, 'parks');

    // Act
    const outcome = await importSubscribers(deps({ stores: failing(subscriptionPutFor(aPhone(713))) }), operator, {
      csv: file(710, 6, 'parks'),
      defaultCountry: 'GB',
    }).catch((error: unknown) => error);

    // Assess
    expect(outcome).toEqual(new Error('simulated crash'));
    expect(await stores.topics.subscriberCount('parks')).toBe(0);
    for (let n = 711; n < 716; n += 1) expect(await traces(aPhone(n), 'parks')).toEqual({ partition: [], indexed: false });
    expect(await traces(known, 'parks')).toEqual(knownBefore);
    expect(await stores.subscribers.subscriptions(known)).toEqual([expect.objectContaining({ topicId: 'libraries' })]);
  });

  it('finishes the batch when the same file is sent again after a failure whose undo failed too', async () => {
    // Prepare: resident 723's subscription and every undo fail, as if the function died there.
    const csv = file(720, 6, 'libraries');
    const dying = failing((command) => subscriptionPutFor(aPhone(723))(command) || command.constructor.name === 'DeleteCommand');
    const crashed = await importSubscribers(deps({ stores: dying }), operator, { csv, defaultCountry: 'GB' }).catch((error: unknown) => error);
    const leftBehind = await traces(aPhone(723), 'libraries');

    // Act
    const summary = await importSubscribers(deps(), operator, { csv, defaultCountry: 'GB' });

    // Assess
    expect(crashed).toEqual(new Error('simulated crash'));
    expect(leftBehind.partition).toContain('PROFILE');
    expect(summary).toEqual(expect.objectContaining({ imported: 6, alreadySubscribed: 0 }));
    // Six imported, and resident 710 who joined by text in the test before.
    expect(await stores.topics.subscriberCount('libraries')).toBe(7);
    for (let n = 720; n < 726; n += 1) {
      expect(await traces(aPhone(n), 'libraries')).toEqual({
        partition: [`CONSENT#opt_in#sms#libraries#import:${summary.batchId}`, 'PROFILE', 'TOPIC#sms#libraries'],
        indexed: true,
      });
    }
  });
});
