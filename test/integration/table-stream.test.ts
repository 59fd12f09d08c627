import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { functionDefinition } from '../../functions/catalog.js';
import type { TableStreamTrigger } from '../../functions/catalog-types.js';
import { startDynamo, type RunningEmulator } from '../../local/emulators.js';
import { ensureTable } from '../../local/provision.js';
import { TableStreamPoller, type TableStreamEvent } from '../../local/table-stream.js';
import { DynamoBroadcastStore } from '../../shared/adapters/dynamo/broadcast-store.js';
import { DynamoMessageStore } from '../../shared/adapters/dynamo/message-store.js';
import { messageImageOf } from '../../shared/adapters/dynamo/message-stream-image.js';
import { countReceipts } from '../../shared/broadcasts/count-receipts.js';
import type { MessageChange } from '../../shared/broadcasts/receipt-counts.js';
import { aBroadcast, aMessageRecord } from '../support/builders.js';
import { localAwsClientConfig } from '../support/dynamo-table.js';

const TABLE = 'crier-stream-test';
const AT = '2025-03-01T09:00:00.000Z';
const trigger = functionDefinition('countReceipts').trigger as TableStreamTrigger;

/** The change a stream record shows, read as the receipt counter's handler reads it. */
function changeOf(record: TableStreamEvent['Records'][number], shard: string): MessageChange {
  return { shard, sequence: record.dynamodb.SequenceNumber, before: messageImageOf(record.dynamodb.OldImage), after: messageImageOf(record.dynamodb.NewImage) };
}

// dynalite in this process: the stream is captured where the table's writes run.
describe('the local table stream (dynalite has none of its own)', () => {
  let dynamo: RunningEmulator;
  let messages: DynamoMessageStore;
  let broadcasts: DynamoBroadcastStore;
  const events: TableStreamEvent[] = [];
  let failNext = 0;
  let poller: TableStreamPoller;

  beforeAll(async () => {
    dynamo = await startDynamo(undefined);
    const client = new DynamoDBClient({ ...localAwsClientConfig, endpoint: dynamo.endpoint });
    await ensureTable(client, TABLE);
    const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    messages = new DynamoMessageStore(documents, TABLE);
    broadcasts = new DynamoBroadcastStore(documents, TABLE);
    poller = new TableStreamPoller(
      TABLE,
      'countReceipts',
      trigger,
      async (event) => {
        if (failNext > 0) {
          failNext -= 1;
          throw new Error('the consumer failed this batch');
        }
        events.push(structuredClone(event));
      },
      () => undefined,
      20,
    );
    poller.start();
  });

  afterAll(async () => {
    await poller.stop();
    await dynamo.close();
  });

  it('hands the consumer each matching change once, in order, with the images before and after and growing sequence numbers; a failed batch comes again whole', async () => {
    // Prepare
    const broadcast = aBroadcast({ id: 'bc-stream-0001' });
    await broadcasts.create(broadcast);
    const messageId = `${broadcast.id}-447700900101`;
    await messages.claim(aMessageRecord({ messageId, broadcastId: broadcast.id, status: 'sending' }));
    failNext = 1;

    // Act
    await messages.markSent(messageId, 'sandbox', 'SM1', AT);
    await messages.applyReceipt(messageId, 'delivered', undefined, AT);
    await vi.waitFor(() => expect(events.flatMap((event) => event.Records)).toHaveLength(2), { timeout: 10_000 });

    // Assess
    const records = events.flatMap((event) => event.Records);
    expect(records.map((record) => record.eventName)).toEqual(['MODIFY', 'MODIFY']);
    expect(records.map((record) => [record.dynamodb.OldImage?.status, record.dynamodb.NewImage?.status])).toEqual([
      [{ S: 'sending' }, { S: 'sent' }],
      [{ S: 'sent' }, { S: 'delivered' }],
    ]);
    expect(BigInt(records[1]!.dynamodb.SequenceNumber)).toBeGreaterThan(BigInt(records[0]!.dynamodb.SequenceNumber));
    expect(events.every((event) => event.shardId === events[0]!.shardId)).toBe(true);
    expect(poller.stats.failures).toBe(1);
  });

  it('counts a broadcast\'s receipts from the stream into its counters, and a batch handed out again counts nothing twice', async () => {
    // Prepare
    const broadcast = aBroadcast({ id: 'bc-stream-0002' });
    await broadcasts.create(broadcast);
    events.length = 0;
    const phones = ['447700900201', '447700900202', '447700900203'];
    for (const phone of phones) {
      await messages.claim(aMessageRecord({ messageId: `${broadcast.id}-${phone}`, broadcastId: broadcast.id, to: `+${phone}`, status: 'sending' }));
      await messages.markSent(`${broadcast.id}-${phone}`, 'sandbox', `SM${phone}`, AT);
    }
    await messages.applyReceipt(`${broadcast.id}-${phones[0]}`, 'delivered', undefined, AT);
    await messages.applyReceipt(`${broadcast.id}-${phones[1]}`, 'undelivered', '30003', AT);
    await messages.applyReceipt(`${broadcast.id}-${phones[0]}`, 'read', undefined, AT);
    await vi.waitFor(() => expect(events.flatMap((event) => event.Records).filter((record) => (record.dynamodb.NewImage?.status as { S?: string } | undefined)?.S !== 'sent')).toHaveLength(3), { timeout: 10_000 });
    const changes = events.flatMap((event) => event.Records.map((record) => changeOf(record, event.shardId)));

    // Act
    const first = await countReceipts(broadcasts, changes);
    const again = await countReceipts(broadcasts, changes);
    const partly = await countReceipts(broadcasts, changes.slice(-2));

    // Assess
    expect(first).toEqual({ counted: 2, alreadyCounted: 0 });
    expect(again).toEqual({ counted: 0, alreadyCounted: 2 });
    expect(partly).toEqual({ counted: 0, alreadyCounted: 1 });
    expect((await broadcasts.get(broadcast.id))?.counts).toMatchObject({ delivered: 1, undelivered: 1 });
  });

  it('leaves a broadcast without counters uncounted, and says so', async () => {
    // Prepare
    const changes: MessageChange[] = [
      { shard: 'shard-x', sequence: '7', before: { status: 'sent', receipts: 1, lastReceiptCountedOnStream: true, broadcastId: 'bc-stream-gone' }, after: { status: 'delivered', receipts: 2, lastReceiptCountedOnStream: true, broadcastId: 'bc-stream-gone' } },
    ];

    // Act
    const outcome = await countReceipts(broadcasts, changes);

    // Assess
    expect(outcome).toEqual({ counted: 0, alreadyCounted: 0 });
  });
});
