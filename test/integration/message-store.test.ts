import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { DynamoMessageStore } from '../../shared/adapters/dynamo/message-store.js';
import { messageOwnKey } from '../../shared/adapters/dynamo/message-keys.js';
import { ERASED } from '../../shared/domain/erasure.js';
import type { MessageStatus } from '../../shared/domain/model.js';
import type { MessageRecord } from '../../shared/sending/message-store.js';
import { broadcastMessageId } from '../../shared/sending/send-message.js';
import { aMessageRecord } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

const SENT_AT = '2025-03-01T09:00:01.000Z';
const RECEIPT_AT = '2025-03-01T09:00:05.000Z';

const BROADCAST = '01kbx7ye5q3z8d0rj6t2vwmnah';

let nextMessage = 0;
const nextNumber = () => `+4477009${String(nextMessage++).padStart(5, '0')}`;
/** Every case runs for both layouts: a broadcast's message (in its broadcast's partitions) and any other (its own key). */
const idShapes: Record<string, () => string> = {
  "a broadcast's message": () => broadcastMessageId(BROADCAST, nextNumber()),
  'a reply': () => `reply-sandbox-${nextNumber().slice(1)}`,
};

/*
 * What the port promises is in sending/message-store.contract.ts, run against this store and the
 * in-memory one; here, how this store keeps it: the receipts beside the item, and records that
 * earlier versions wrote under other keys.
 */
describe.each(Object.entries(idShapes))('DynamoMessageStore (%s)', (_shape, newMessageId) => {
  let table: TestTable;
  let messages: DynamoMessageStore;

  beforeAll(async () => {
    table = await freshTable('crier-messages');
    messages = new DynamoMessageStore(table.documents, table.tableName);
  });

  it('keeps every applied receipt beside the message, with its error code', async () => {
    // Prepare
    const record = aMessageRecord({ messageId: newMessageId() });
    await messages.claim(record);

    // Act
    await messages.applyReceipt(record.messageId, 'sent', undefined, SENT_AT);
    await messages.applyReceipt(record.messageId, 'undelivered', '30003', RECEIPT_AT);

    // Assess
    const { Item } = await table.documents.send(new GetCommand({ TableName: table.tableName, Key: keys.message(record.messageId) }));
    expect(Item?.receipts).toEqual([
      { status: 'sent', at: SENT_AT, errorCode: null, counted: 'stream' },
      { status: 'undelivered', at: RECEIPT_AT, errorCode: '30003', counted: 'stream' },
    ]);
    expect(await messages.get(record.messageId)).toMatchObject({ status: 'undelivered', errorCode: '30003' });
  });
});

/**
 * A broadcast message as versions before the move wrote it: under its own key, with the index
 * key they set. The store finds it again on a miss at today's key.
 */
describe('DynamoMessageStore (a broadcast message written before the move)', () => {
  let table: TestTable;
  let messages: DynamoMessageStore;

  beforeAll(async () => {
    table = await freshTable('crier-messages-before');
    messages = new DynamoMessageStore(table.documents, table.tableName);
  });

  async function writtenBefore(overrides: Partial<MessageRecord> = {}): Promise<MessageRecord> {
    const broadcastId = overrides.broadcastId ?? BROADCAST;
    const record = aMessageRecord({ messageId: broadcastMessageId(broadcastId, nextNumber()), broadcastId, status: 'sent', provider: 'sandbox', providerMessageId: 'SM1', ...overrides });
    await table.documents.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...messageOwnKey(record.messageId), type: 'message', ...record, statusRank: 2, byBroadcast: broadcastId, expiresAt: 1793523600 },
      }),
    );
    return record;
  }

  it('reads it by id, alone and among others, and its status', async () => {
    // Prepare
    const before = await writtenBefore();
    const today = aMessageRecord({ messageId: broadcastMessageId(BROADCAST, nextNumber()), broadcastId: BROADCAST });
    await messages.claim(today);

    // Act
    const one = await messages.get(before.messageId);
    const many = await messages.getMany([before.messageId, today.messageId, broadcastMessageId(BROADCAST, nextNumber())]);
    const status = await messages.statusOf(before.messageId);

    // Assess
    expect(one).toEqual(before);
    expect(many.sort((a, b) => a.messageId.localeCompare(b.messageId))).toEqual([before, today].sort((a, b) => a.messageId.localeCompare(b.messageId)));
    expect(status).toBe('sent');
  });

  it('applies a receipt and a price to it, and says which broadcast it was', async () => {
    // Prepare
    const before = await writtenBefore();

    // Act
    const applied = await messages.applyReceipt(before.messageId, 'delivered', undefined, RECEIPT_AT);
    const stale = await messages.applyReceipt(before.messageId, 'delivered', undefined, RECEIPT_AT);
    await messages.recordProviderPrice(before.messageId, { amount: 0.0079, currency: 'USD' });

    // Assess
    expect(applied).toEqual({ previous: 'sent', broadcastId: BROADCAST });
    expect(stale).toBeUndefined();
    expect(await messages.get(before.messageId)).toMatchObject({ status: 'delivered', providerPrice: { amount: 0.0079, currency: 'USD' } });
    expect((await table.documents.send(new GetCommand({ TableName: table.tableName, Key: keys.message(before.messageId) }))).Item).toBeUndefined();
  });

  it('erases it, and anonymises it', async () => {
    // Prepare
    const erased = await writtenBefore();
    const anonymised = await writtenBefore();

    // Act
    const forgotten = await messages.forget([erased.messageId, broadcastMessageId(BROADCAST, nextNumber())]);
    await messages.anonymiseRecipient(anonymised.messageId);

    // Assess
    expect(forgotten).toBe(1);
    expect(await messages.get(erased.messageId)).toBeUndefined();
    expect(await messages.get(anonymised.messageId)).toMatchObject({ to: ERASED });
  });

  it('keeps a skip written when skips ranked with the final outcomes: a read receipt does not move it', async () => {
    // Prepare
    const skip = aMessageRecord({ messageId: broadcastMessageId(BROADCAST, nextNumber()), broadcastId: BROADCAST, status: 'skipped', skipReason: 'opted_out' });
    await table.documents.send(
      new PutCommand({ TableName: table.tableName, Item: { ...keys.message(skip.messageId), type: 'message', ...skip, statusRank: 3, expiresAt: 1793523600 } }),
    );

    // Act
    const applied = await messages.applyReceipt(skip.messageId, 'read', undefined, RECEIPT_AT);

    // Assess
    expect(applied).toBeUndefined();
    expect(await messages.get(skip.messageId)).toEqual(skip);
  });

  it('is not in its broadcast\'s delivery report, as messages from before the report\'s index were not', async () => {
    // Prepare
    const broadcastId = '01kbx7ye5q3z8d0rj6t2vwmnbb';
    await writtenBefore({ broadcastId });

    // Act
    const page = await messages.listByBroadcast(broadcastId, 10, undefined);

    // Assess
    expect(page).toEqual({ items: [], cursor: undefined });
  });
});
