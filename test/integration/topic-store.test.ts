import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoTopicStore } from '../../shared/adapters/dynamo/topic-store.js';
import { ConflictError } from '../../shared/domain/errors.js';
import { aTopic } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

const SHARDS = 4;

/** What the port promises is in topics/topic-store.contract.ts, run against this store and the in-memory one; here, the items it keeps. */
describe('DynamoTopicStore', () => {
  let table: TestTable;
  let topics: DynamoTopicStore;

  beforeAll(async () => {
    table = await freshTable('crier-topics');
    topics = new DynamoTopicStore(table.documents, table.tableName, SHARDS);
  });

  async function itemsOf(topicId: string): Promise<Record<string, unknown>[]> {
    const { Items } = await table.documents.send(new ScanCommand({ TableName: table.tableName }));
    return (Items ?? []).filter((item) => item.id === topicId || item.topicId === topicId);
  }

  it('refuses a keyword another topic owns, and leaves no item of the new topic behind', async () => {
    // Prepare
    await topics.create(aTopic({ id: 'traffic', keywords: ['TRAFFIC'] }));
    const clashing = aTopic({ id: 'roads', name: 'Roads', keywords: ['ROADS', 'JAMS', 'TRAFFIC', 'A470'] });

    // Act
    const error = await topics.create(structuredClone(clashing)).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(await itemsOf('roads')).toEqual([]);
  });
});
