import { DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenToTableChanges, type ItemImage } from '../../local/dynalite-changes.js';
import { startEmulatorsThread, type EmulatorsThread } from '../../local/emulators-in-thread.js';
import { ensureTable } from '../../local/provision.js';
import { localAwsClientConfig } from '../support/dynamo-table.js';

const TABLE = 'crier-thread-test';

// npm start and the bench run dynalite and the SQS emulator on a thread of their own; the table's
// changes come back to this thread for the local change stream.
describe('the emulators on a thread of their own', () => {
  let emulators: EmulatorsThread;
  let dynamo: DynamoDBClient;
  const changes: { table: string; before: ItemImage | undefined; after: ItemImage | undefined }[] = [];
  let stopListening: () => void;

  beforeAll(async () => {
    emulators = await startEmulatorsThread(undefined);
    dynamo = new DynamoDBClient({ ...localAwsClientConfig, endpoint: emulators.dynamo.endpoint });
    await ensureTable(dynamo, TABLE);
    stopListening = listenToTableChanges((table, before, after) => changes.push({ table, before, after }));
  });

  afterAll(async () => {
    stopListening();
    await emulators.dynamo.close();
  });

  it("hands this thread every change to an item, in order, with its images before and after, all of them by the time flushed() resolves", async () => {
    // Prepare
    const key = { pk: { S: 'ITEM#1' }, sk: { S: 'ITEM' } };

    // Act
    await dynamo.send(new PutItemCommand({ TableName: TABLE, Item: { ...key, status: { S: 'claimed' } } }));
    await dynamo.send(new UpdateItemCommand({ TableName: TABLE, Key: key, UpdateExpression: 'SET #status = :sent', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':sent': { S: 'sent' } } }));
    await dynamo.send(new DeleteItemCommand({ TableName: TABLE, Key: key }));
    await emulators.flushed();

    // Assess
    expect(changes).toEqual([
      { table: TABLE, before: undefined, after: { ...key, status: { S: 'claimed' } } },
      { table: TABLE, before: { ...key, status: { S: 'claimed' } }, after: { ...key, status: { S: 'sent' } } },
      { table: TABLE, before: { ...key, status: { S: 'sent' } }, after: undefined },
    ]);
  });

  it('serves SQS from the same thread', async () => {
    // Prepare
    const sqs = new SQSClient({ ...localAwsClientConfig, endpoint: emulators.sqs.endpoint });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'crier-thread-test' }));

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));

    // Assess
    expect(Messages?.map((message) => message.Body)).toEqual(['hello']);
  });
});

describe('closing the emulators thread', () => {
  it('closes both emulators at once, refuses connections afterwards, and flushed() then resolves at once', async () => {
    // Prepare
    const emulators = await startEmulatorsThread(undefined);
    const dynamo = new DynamoDBClient({ ...localAwsClientConfig, endpoint: emulators.dynamo.endpoint, maxAttempts: 1 });

    // Act
    await Promise.all([emulators.dynamo.close(), emulators.sqs.close()]);

    // Assess
    await expect(ensureTable(dynamo, TABLE)).rejects.toThrow(/ECONNREFUSED/);
    await expect(emulators.flushed()).resolves.toBeUndefined();
  });
});
