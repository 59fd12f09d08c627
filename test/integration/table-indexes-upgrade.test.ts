import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { inject, describe, expect, it, vi } from 'vitest';
import { ensureTable } from '../../local/provision.js';
import { createTable, createTableInput, describeTable, missingIndexes, rebuildNameOf } from '../../local/table-rebuild.js';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { DynamoMessageStore } from '../../shared/adapters/dynamo/message-store.js';
import { broadcastMessageId } from '../../shared/usecases/send.js';
import { aPhone } from '../support/builders.js';
import { localAwsClientConfig } from '../support/dynamo-table.js';

const BROADCAST = '01jupgradebroadcast0000000a';

function clients() {
  const dynamo = new DynamoDBClient({ ...localAwsClientConfig, endpoint: inject('dynamoEndpoint') });
  return { dynamo, documents: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }) };
}

/** A table as versions before the delivery report made it: keys only, no index. */
async function tableWithoutIndexes(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  const { GlobalSecondaryIndexes: _indexes, ...input } = createTableInput(tableName);
  await dynamo.send(
    new CreateTableCommand({ ...input, AttributeDefinitions: input.AttributeDefinitions!.filter((attribute) => ['pk', 'sk'].includes(attribute.AttributeName!)) }),
  );
  // dynalite makes a table ACTIVE on its next turn, which a loaded machine can delay past the first write.
  await vi.waitFor(async () => expect((await describeTable(dynamo, tableName))?.TableStatus).toBe('ACTIVE'));
}

/** A broadcast message as older versions wrote it (no index key), and a topic beside it. */
async function olderItems(dynamo: DynamoDBClient, tableName: string, phone: string): Promise<void> {
  const message = keys.message(broadcastMessageId(BROADCAST, phone));
  await dynamo.send(
    new PutItemCommand({
      TableName: tableName,
      Item: {
        pk: { S: message.pk },
        sk: { S: message.sk },
        type: { S: 'message' },
        messageId: { S: broadcastMessageId(BROADCAST, phone) },
        broadcastId: { S: BROADCAST },
        to: { S: phone },
        channel: { S: 'sms' },
        status: { S: 'delivered' },
        statusRank: { N: '4' },
        createdAt: { S: '2026-11-01T09:00:00.000Z' },
        updatedAt: { S: '2026-11-01T09:00:02.000Z' },
        expiresAt: { N: '1793523600' },
      },
    }),
  );
  await dynamo.send(new PutItemCommand({ TableName: tableName, Item: { ...Object.fromEntries(Object.entries(keys.topic('traffic')).map(([name, value]) => [name, { S: value }])), name: { S: 'Traffic' } } }));
}

describe('a DATA_DIR table from before the delivery report', () => {
  it('gets the index at start, with its items kept and its broadcast messages listed', async () => {
    // Prepare
    const { dynamo, documents } = clients();
    const tableName = `crier-upgrade-${randomBytes(6).toString('hex')}`;
    await tableWithoutIndexes(dynamo, tableName);
    await olderItems(dynamo, tableName, aPhone(1));

    // Act
    await ensureTable(dynamo, tableName);

    // Assess
    expect(missingIndexes((await describeTable(dynamo, tableName))!)).toEqual([]);
    expect(await describeTable(dynamo, rebuildNameOf(tableName))).toBeUndefined();
    const listed = await new DynamoMessageStore(documents, tableName).listByBroadcast(BROADCAST, 10, undefined);
    expect(listed.items.map((record) => [record.to, record.status])).toEqual([[aPhone(1), 'delivered']]);
    expect((await documents.send(new GetCommand({ TableName: tableName, Key: keys.topic('traffic') }))).Item?.name).toBe('Traffic');
  });

  it('finishes a rebuild cut short after the old table was deleted', async () => {
    // Prepare
    const { dynamo, documents } = clients();
    const tableName = `crier-upgrade-${randomBytes(6).toString('hex')}`;
    await createTable(dynamo, rebuildNameOf(tableName));
    await olderItems(dynamo, rebuildNameOf(tableName), aPhone(2));

    // Act
    await ensureTable(dynamo, tableName);

    // Assess
    expect(await describeTable(dynamo, rebuildNameOf(tableName))).toBeUndefined();
    expect((await documents.send(new GetCommand({ TableName: tableName, Key: keys.topic('traffic') }))).Item?.name).toBe('Traffic');
    expect(missingIndexes((await describeTable(dynamo, tableName))!)).toEqual([]);
  });

  it('starts a rebuild again when it was cut short while copying out', async () => {
    // Prepare
    const { dynamo, documents } = clients();
    const tableName = `crier-upgrade-${randomBytes(6).toString('hex')}`;
    await tableWithoutIndexes(dynamo, tableName);
    await olderItems(dynamo, tableName, aPhone(3));
    await createTable(dynamo, rebuildNameOf(tableName));

    // Act
    await ensureTable(dynamo, tableName);

    // Assess
    const listed = await new DynamoMessageStore(documents, tableName).listByBroadcast(BROADCAST, 10, undefined);
    expect(listed.items.map((record) => record.to)).toEqual([aPhone(3)]);
    expect(await describeTable(dynamo, rebuildNameOf(tableName))).toBeUndefined();
  });
});
