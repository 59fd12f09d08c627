import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { DynamoTopicStore } from '../../shared/adapters/dynamo/topic-store.js';
import { ConflictError } from '../../shared/domain/errors.js';
import type { Topic } from '../../shared/domain/model.js';
import { AT, aTopic } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

const later = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();

/**
 * Changing topics: keywords stay unique, without transactions, even after a crash half-way. What
 * a change does when nothing crashes is in the topic store's contract (topics/topic-store.contract.ts).
 */
describe('DynamoTopicStore: changes and archiving', () => {
  let table: TestTable;
  let topics: DynamoTopicStore;

  beforeAll(async () => {
    table = await freshTable('crier-topic-changes');
    topics = new DynamoTopicStore(table.documents, table.tableName, 4);
  });

  async function claimOf(keyword: string): Promise<string | undefined> {
    const { Item } = await table.documents.send(new GetCommand({ TableName: table.tableName, Key: keys.keyword(keyword) }));
    return Item?.topicId as string | undefined;
  }

  const change = (changes: Partial<Topic>) => (current: Topic) => ({ ...current, ...changes, updatedAt: later(1) });

  it('leads nowhere from a claim the topic does not list (a change that crashed before writing the topic)', async () => {
    // Prepare: step 1 of a change done, step 2 never happened
    await topics.create(aTopic({ id: 'housing', keywords: ['HOUSING'] }));
    await table.documents.send(
      new PutCommand({ TableName: table.tableName, Item: { ...keys.keyword('HOMES'), type: 'keyword', keyword: 'HOMES', topicId: 'housing', claimedAt: later(0) } }),
    );

    // Act
    const found = await topics.findByKeyword('HOMES');
    const tooSoon = await topics.create(aTopic({ id: 'homes', keywords: ['HOMES'], createdAt: later(0.5) })).catch((caught: unknown) => caught);
    await topics.create(aTopic({ id: 'homes', keywords: ['HOMES'], createdAt: later(2) }));

    // Assess
    expect(found).toBeUndefined();
    expect((tooSoon as Error).message).toBe('keyword HOMES is being claimed by topic "housing"; try again in a minute');
    expect((await topics.findByKeyword('HOMES'))?.id).toBe('homes');
    expect((await topics.findByKeyword('HOUSING'))?.id).toBe('housing');
  });

  it('lets another topic take a keyword whose claim outlived its release (a change that crashed after writing the topic)', async () => {
    // Prepare: the topic no longer lists SCHOOLS, but the claim was never released
    await topics.create(aTopic({ id: 'schools', keywords: ['SCHOOLS', 'EDUCATION'] }));
    await table.documents.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.topic('schools'), type: 'topic', ...aTopic({ id: 'schools', keywords: ['EDUCATION'] }), revision: 2 },
      }),
    );

    // Act
    const before = await topics.findByKeyword('SCHOOLS');
    await topics.create(aTopic({ id: 'term-dates', keywords: ['SCHOOLS'], createdAt: later(5) }));

    // Assess
    expect(before).toBeUndefined();
    expect((await topics.findByKeyword('SCHOOLS'))?.id).toBe('term-dates');
    expect(await claimOf('SCHOOLS')).toBe('term-dates');
  });

  it('refuses a change that another change overtook, releasing the keywords it claimed', async () => {
    // Prepare: someone else's change lands between this change's claim and its write
    await topics.create(aTopic({ id: 'libraries', name: 'Libraries', keywords: ['BOOKS'] }));
    let overtaken = false;
    const racing = {
      send: async (command: { input: { Item?: Record<string, unknown> } }) => {
        if (!overtaken && command instanceof PutCommand && command.input.Item?.sk === 'TOPIC#libraries') {
          overtaken = true;
          await table.documents.send(
            new UpdateCommand({
              TableName: table.tableName,
              Key: keys.topic('libraries'),
              UpdateExpression: 'SET #name = :name, revision = revision + :one',
              ExpressionAttributeNames: { '#name': 'name' },
              ExpressionAttributeValues: { ':name': 'Libraries and archives', ':one': 1 },
            }),
          );
        }
        return table.documents.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const store = new DynamoTopicStore(racing, table.tableName, 4);

    // Act
    const error = await store.update('libraries', change({ keywords: ['BOOKS', 'LIBRARY'] })).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe('topic "libraries" was changed by someone else at the same moment; read it again and retry');
    expect(await topics.get('libraries')).toMatchObject({ name: 'Libraries and archives', keywords: ['BOOKS'] });
    expect(await claimOf('LIBRARY')).toBeUndefined();
  });

  it('tells a topic that lists a keyword it lost (a create that crashed before claiming) who holds it', async () => {
    // Prepare: the record of "recycling" was written, its claim of REUSE never; "swap-shop" has it now
    await table.documents.send(
      new PutCommand({ TableName: table.tableName, Item: { ...keys.topic('recycling'), type: 'topic', ...aTopic({ id: 'recycling', keywords: ['REUSE'] }), revision: 1 } }),
    );
    await topics.create(aTopic({ id: 'swap-shop', keywords: ['REUSE'] }));

    // Act
    const rename = await topics.update('recycling', change({ name: 'Recycling' })).catch((caught: unknown) => caught);

    // Assess
    expect((rename as Error).message).toBe('keyword REUSE is already used by topic "swap-shop"');
    expect((await topics.findByKeyword('REUSE'))?.id).toBe('swap-shop');
  });


});
