import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { DynamoMessageStore } from '../../shared/adapters/dynamo/message-store.js';
import { messageOwnKey } from '../../shared/adapters/dynamo/message-keys.js';
import { ERASED } from '../../shared/domain/erasure.js';
import type { MessageStatus } from '../../shared/domain/model.js';
import type { MessageRecord } from '../../shared/sending/message-store.js';
import { broadcastMessageId } from '../../shared/usecases/send-message.js';
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

describe.each(Object.entries(idShapes))('DynamoMessageStore (%s)', (_shape, newMessageId) => {
  let table: TestTable;
  let messages: DynamoMessageStore;

  beforeAll(async () => {
    table = await freshTable('crier-messages');
    messages = new DynamoMessageStore(table.documents, table.tableName);
  });

  describe('claim', () => {
    it('claims a message once and gives it back as written', async () => {
      // Prepare
      const record = aMessageRecord({ messageId: newMessageId() });

      // Act
      const first = await messages.claim(structuredClone(record));
      const second = await messages.claim({ ...structuredClone(record), status: 'queued' });

      // Assess
      expect(first).toEqual({ outcome: 'claimed' });
      expect(second).toEqual({ outcome: 'already-claimed', existing: record });
      expect(await messages.get(record.messageId)).toEqual(record);
    });

    it('lets exactly one of many simultaneous claims win', async () => {
      // Prepare
      const record = aMessageRecord({ messageId: newMessageId() });

      // Act
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => messages.claim(structuredClone(record))));

      // Assess
      expect(outcomes.filter((claim) => claim.outcome === 'claimed')).toHaveLength(1);
      expect(outcomes.filter((claim) => claim.outcome === 'already-claimed').map((claim) => 'existing' in claim && claim.existing)).toEqual(Array(9).fill(record));
    });

    it('returns the skip a claim meets, with the job that made it', async () => {
      // Prepare
      const skip = aMessageRecord({ messageId: newMessageId(), status: 'skipped', skipReason: 'opted_out', jobId: 'job-1' });
      await messages.recordOnce(structuredClone(skip));

      // Act
      const claim = await messages.claim(aMessageRecord({ messageId: skip.messageId, jobId: 'job-2' }));

      // Assess
      expect(claim).toEqual({ outcome: 'already-claimed', existing: skip });
    });

    it('records a skip once', async () => {
      // Prepare
      const skip = aMessageRecord({ messageId: newMessageId(), status: 'skipped', skipReason: 'opted_out' });

      // Act
      const outcomes = [await messages.recordOnce(structuredClone(skip)), await messages.recordOnce(structuredClone(skip))];

      // Assess
      expect(outcomes).toEqual([true, false]);
      expect(await messages.get(skip.messageId)).toMatchObject({ status: 'skipped', skipReason: 'opted_out' });
    });
  });

  describe('release', () => {
    it('gives back a claim that is still sending, so it can be claimed again', async () => {
      // Prepare
      const record = aMessageRecord({ messageId: newMessageId() });
      await messages.claim(record);

      // Act
      await messages.release(record.messageId);

      // Assess
      expect(await messages.get(record.messageId)).toBeUndefined();
      expect(await messages.claim(record)).toEqual({ outcome: 'claimed' });
    });

    it.each<[string, (messageId: string) => Promise<void>, MessageStatus]>([
      ['sent', (id) => messages.markSent(id, 'sandbox', 'SM1', SENT_AT), 'sent'],
      ['failed', (id) => messages.markFailed(id, '30003', SENT_AT), 'failed'],
      ['delivered by an early receipt', async (id) => void (await messages.applyReceipt(id, 'delivered', undefined, RECEIPT_AT)), 'delivered'],
    ])('keeps a message that is already %s', async (_case, move, status) => {
      // Prepare
      const record = aMessageRecord({ messageId: newMessageId() });
      await messages.claim(record);
      await move(record.messageId);

      // Act
      await messages.release(record.messageId);

      // Assess
      expect((await messages.get(record.messageId))?.status).toBe(status);
    });

    it('does nothing for a message that does not exist', async () => {
      // Prepare
      const messageId = newMessageId();

      // Act
      await messages.release(messageId);

      // Assess
      expect(await messages.get(messageId)).toBeUndefined();
    });
  });

  describe('resolveStaleClaim', () => {
    const CLAIMED_AT = '2025-03-01T09:00:00.000Z';
    const RESOLVED_AT = '2025-03-01T09:20:00.000Z';

    it('settles a claim left sending before the cutoff as failed, outcome unknown, counted by the resolving job', async () => {
      // Prepare
      const record = aMessageRecord({ messageId: newMessageId(), createdAt: CLAIMED_AT, updatedAt: CLAIMED_AT, jobId: 'job-dead' });
      await messages.claim(structuredClone(record));

      // Act
      const resolved = await messages.resolveStaleClaim(record.messageId, '2025-03-01T09:05:00.000Z', RESOLVED_AT, 'job-redelivered');

      // Assess
      expect(resolved).toBe(true);
      expect(await messages.get(record.messageId)).toEqual({
        ...record,
        status: 'failed',
        errorCode: 'outcomeUnknown',
        updatedAt: RESOLVED_AT,
        jobId: 'job-redelivered',
      });
    });

    it('leaves a claim taken after the cutoff: a live run may still hold it', async () => {
      // Prepare
      const record = aMessageRecord({ messageId: newMessageId(), createdAt: CLAIMED_AT, updatedAt: CLAIMED_AT });
      await messages.claim(structuredClone(record));

      // Act
      const resolved = await messages.resolveStaleClaim(record.messageId, '2025-03-01T08:59:59.999Z', RESOLVED_AT, 'job-2');

      // Assess
      expect(resolved).toBe(false);
      expect(await messages.get(record.messageId)).toEqual(record);
    });

    it.each<[string, (messageId: string) => Promise<unknown>, MessageStatus | 'skipped']>([
      ['sent', (id) => messages.markSent(id, 'sandbox', 'SM1', SENT_AT), 'sent'],
      ['failed', (id) => messages.markFailed(id, '30003', SENT_AT), 'failed'],
      ['delivered by an early receipt', (id) => messages.applyReceipt(id, 'delivered', undefined, RECEIPT_AT), 'delivered'],
    ])('leaves a claim that has an outcome (%s)', async (_case, move, status) => {
      // Prepare
      const record = aMessageRecord({ messageId: newMessageId(), createdAt: CLAIMED_AT, updatedAt: CLAIMED_AT });
      await messages.claim(record);
      await move(record.messageId);

      // Act
      const resolved = await messages.resolveStaleClaim(record.messageId, RESOLVED_AT, RESOLVED_AT, 'job-2');

      // Assess
      expect(resolved).toBe(false);
      expect((await messages.get(record.messageId))?.status).toBe(status);
    });

    it('creates nothing for a message never claimed', async () => {
      // Prepare
      const messageId = newMessageId();

      // Act
      const resolved = await messages.resolveStaleClaim(messageId, RESOLVED_AT, RESOLVED_AT, 'job-2');

      // Assess
      expect(resolved).toBe(false);
      expect(await messages.get(messageId)).toBeUndefined();
    });
  });

  describe('statusOf', () => {
    it.each<[string, MessageStatus]>([
      ['a claim still sending', 'sending'],
      ['a message the sender marked sent', 'sent'],
      ['a delivered message', 'delivered'],
    ])('reads the status of %s', async (_case, status) => {
      // Prepare
      const record = aMessageRecord({ messageId: newMessageId(), status });
      await messages.claim(record);

      // Act
      const stored = await messages.statusOf(record.messageId);

      // Assess
      expect(stored).toBe(status);
    });

    it('says undefined for a message that does not exist', async () => {
      // Act
      const stored = await messages.statusOf(newMessageId());

      // Assess
      expect(stored).toBeUndefined();
    });
  });

  describe('getMany', () => {
    it('reads every record asked for that exists, more than one batch of them, each once', async () => {
      // Prepare
      const records = Array.from({ length: 130 }, (_, index) => aMessageRecord({ messageId: newMessageId(), jobId: `job-${index % 2}` }));
      for (const record of records) await messages.claim(structuredClone(record));
      const ids = [...records.map((record) => record.messageId), 'bc-msg-never', records[0]!.messageId];

      // Act
      const found = await messages.getMany(ids);

      // Assess
      expect(found.sort((a, b) => a.messageId.localeCompare(b.messageId))).toEqual(records);
    });
  });

  describe('markSent and markFailed', () => {
    it('records who carried a sent message', async () => {
      // Prepare
      const record = aMessageRecord({ messageId: newMessageId() });
      await messages.claim(record);

      // Act
      await messages.markSent(record.messageId, 'twilio', 'SM0123', SENT_AT);

      // Assess
      expect(await messages.get(record.messageId)).toEqual({
        ...record,
        status: 'sent',
        provider: 'twilio',
        providerMessageId: 'SM0123',
        updatedAt: SENT_AT,
      });
    });

    it('keeps the status of a receipt that overtook the send, and still records the carrier', async () => {
      // Prepare
      const record = aMessageRecord({ messageId: newMessageId() });
      await messages.claim(record);
      await messages.applyReceipt(record.messageId, 'delivered', undefined, RECEIPT_AT);

      // Act
      await messages.markSent(record.messageId, 'twilio', 'SM0456', SENT_AT);

      // Assess
      expect(await messages.get(record.messageId)).toMatchObject({
        status: 'delivered',
        provider: 'twilio',
        providerMessageId: 'SM0456',
        updatedAt: RECEIPT_AT,
      });
    });

    it('records a failure with its code', async () => {
      // Prepare
      const record = aMessageRecord({ messageId: newMessageId() });
      await messages.claim(record);

      // Act
      await messages.markFailed(record.messageId, 'ambiguous', SENT_AT);

      // Assess
      expect(await messages.get(record.messageId)).toMatchObject({ status: 'failed', errorCode: 'ambiguous', updatedAt: SENT_AT });
    });
  });

  describe('applyReceipt', () => {
    it('applies receipts in precedence order and ignores one that arrives out of order', async () => {
      // Prepare
      const record = aMessageRecord({ messageId: newMessageId() });
      await messages.claim(record);
      await messages.markSent(record.messageId, 'twilio', 'SM1', SENT_AT);

      // Act
      const delivered = await messages.applyReceipt(record.messageId, 'delivered', undefined, RECEIPT_AT);
      const lateSent = await messages.applyReceipt(record.messageId, 'sent', undefined, '2025-03-01T09:00:06.000Z');
      const repeated = await messages.applyReceipt(record.messageId, 'delivered', undefined, '2025-03-01T09:00:07.000Z');
      const read = await messages.applyReceipt(record.messageId, 'read', undefined, '2025-03-01T09:10:00.000Z');

      // Assess
      expect([delivered, lateSent, repeated, read].map((applied) => applied?.previous)).toEqual(['sent', undefined, undefined, 'delivered']);
      // The broadcast comes back with the write, so counting a receipt needs no read.
      expect(delivered?.broadcastId).toBe(record.broadcastId);
      expect(await messages.get(record.messageId)).toMatchObject({ status: 'read', updatedAt: '2025-03-01T09:10:00.000Z' });
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

    it('ignores a receipt for a message it does not know, and creates nothing', async () => {
      // Prepare
      const messageId = newMessageId();

      // Act
      const previous = await messages.applyReceipt(messageId, 'delivered', undefined, RECEIPT_AT);

      // Assess
      expect(previous).toBeUndefined();
      expect(await messages.get(messageId)).toBeUndefined();
    });
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
