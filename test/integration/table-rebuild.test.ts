import { randomBytes } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { inject, describe, expect, it } from 'vitest';
import { ensureTable } from '../../local/provision.js';
import { createTable, describeTable, rebuildNameOf } from '../../local/table-rebuild.js';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { localAwsClientConfig } from '../support/dynamo-table.js';

function clients() {
  const dynamo = new DynamoDBClient({ ...localAwsClientConfig, endpoint: inject('dynamoEndpoint') });
  return { dynamo, documents: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }) };
}

async function aTopic(dynamo: DynamoDBClient, tableName: string, id: string): Promise<void> {
  const key = keys.topic(id);
  await dynamo.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: key.pk }, sk: { S: key.sk }, name: { S: id } } }));
}

const topicIn = async (documents: DynamoDBDocumentClient, tableName: string, id: string) =>
  (await documents.send(new GetCommand({ TableName: tableName, Key: keys.topic(id) }))).Item?.name;

/** Earlier versions rebuilt a DATA_DIR table to give it an index; one cut short is finished at start. */
describe('a local table rebuild an earlier version left cut short', () => {
  it('is finished after the old table was deleted: its items come back and the copy goes', async () => {
    // Prepare
    const { dynamo, documents } = clients();
    const tableName = `crier-rebuild-${randomBytes(6).toString('hex')}`;
    await createTable(dynamo, rebuildNameOf(tableName));
    await aTopic(dynamo, rebuildNameOf(tableName), 'traffic');

    // Act
    await ensureTable(dynamo, tableName);

    // Assess
    expect(await topicIn(documents, tableName, 'traffic')).toBe('traffic');
    expect(await describeTable(dynamo, rebuildNameOf(tableName))).toBeUndefined();
  });

  it('is finished while it was still copying out: the table keeps every item and the copy goes', async () => {
    // Prepare
    const { dynamo, documents } = clients();
    const tableName = `crier-rebuild-${randomBytes(6).toString('hex')}`;
    await createTable(dynamo, tableName);
    await aTopic(dynamo, tableName, 'traffic');
    await aTopic(dynamo, tableName, 'youth');
    await createTable(dynamo, rebuildNameOf(tableName));
    await aTopic(dynamo, rebuildNameOf(tableName), 'traffic');

    // Act
    await ensureTable(dynamo, tableName);

    // Assess
    expect([await topicIn(documents, tableName, 'traffic'), await topicIn(documents, tableName, 'youth')]).toEqual(['traffic', 'youth']);
    expect(await describeTable(dynamo, rebuildNameOf(tableName))).toBeUndefined();
  });

  it('leaves a table with nothing to finish as it is, and makes none beside it', async () => {
    // Prepare
    const { dynamo, documents } = clients();
    const tableName = `crier-rebuild-${randomBytes(6).toString('hex')}`;
    await createTable(dynamo, tableName);
    await aTopic(dynamo, tableName, 'traffic');

    // Act
    await ensureTable(dynamo, tableName);

    // Assess
    expect(await topicIn(documents, tableName, 'traffic')).toBe('traffic');
    expect((await describeTable(dynamo, tableName))?.GlobalSecondaryIndexes).toBeUndefined();
    expect(await describeTable(dynamo, rebuildNameOf(tableName))).toBeUndefined();
  });
});
