import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import { ERASED } from '../../../shared/domain/erasure.js';
import type { MessageStatus } from '../../../shared/domain/model.js';
import type { MessageRecord, MessageStore } from '../../../shared/sending/message-store.js';
import { broadcastMessageId } from '../../../shared/sending/send-message.js';
import { aMessageRecord, aPhone } from '../../support/builders.js';

/*
 * The message store's contract: one set of cases, run against the DynamoDB store on dynalite
 * (message-store-dynamo.test.ts) and the in-memory one the use cases' tests rely on
 * (test/unit/sending/message-store-memory.test.ts), so the fake cannot drift from the store that
 * runs. A case says what a caller sees through the port; how a store keeps it (keys, partitions,
 * the receipts list, requests) is checked in the adapter's own test.
 */

const SENT_AT = '2025-03-01T09:00:01.000Z';
const RECEIPT_AT = '2025-03-01T09:00:05.000Z';

/** Ids of the generator's shape (lowercase ULIDs), as every broadcast's is. */
const BROADCAST = '01kbx7ye5q3z8d0rj6t2vwmnah';
const OTHER_BROADCAST = '01kbx7ye5q3z8d0rj6t2vwmn0b';

/** Builds the store under test; each case takes messages of its own, so they may share it. */
export type MessageStoreFactory = () => Promise<MessageStore>;

export function messageStoreContract(name: string, makeStore: MessageStoreFactory): void {
  let nextMessage = 0;
  const nextNumber = () => `+4477009${String(nextMessage++).padStart(5, '0')}`;
  /** Every case runs for both layouts: a broadcast's message (in its broadcast's partitions) and any other (its own key). */
  const idShapes: Record<string, () => string> = {
    "a broadcast's message": () => broadcastMessageId(BROADCAST, nextNumber()),
    'a reply': () => `reply-sandbox-${nextNumber().slice(1)}`,
  };

  describe.each(Object.entries(idShapes))(`${name}: the message store's contract (%s)`, (_shape, newMessageId) => {
    let messages: MessageStore;

    beforeAll(async () => {
      messages = await makeStore();
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

      it.each<[string, (messageId: string) => Promise<unknown>, MessageStatus]>([
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

      it('says it recorded the outcome of a message it holds', async () => {
        // Prepare
        const [sent, failed] = [aMessageRecord({ messageId: newMessageId() }), aMessageRecord({ messageId: newMessageId() })];
        await messages.claim(sent);
        await messages.claim(failed);

        // Act
        const outcomes = [
          await messages.markSent(sent.messageId, 'twilio', 'SM0789', SENT_AT),
          await messages.markFailed(failed.messageId, '30003', SENT_AT),
        ];

        // Assess
        expect(outcomes).toEqual([true, true]);
      });

      it('writes nothing for a message it does not know (erased while it was being sent), and says so', async () => {
        // Prepare
        const [sent, failed] = [newMessageId(), newMessageId()];
        const estimate = { currency: 'GBP', estimatedMicros: 35_000, units: 1, country: 'GB' };

        // Act
        const outcomes = [
          await messages.markSent(sent, 'twilio', 'SM0999', SENT_AT, { estimate, senderId: 'crier-sms' }),
          await messages.markFailed(failed, '30003', SENT_AT),
        ];

        // Assess: no partial record for a receipt, a report or erasure to meet later.
        expect(outcomes).toEqual([false, false]);
        expect(await messages.getMany([sent, failed])).toEqual([]);
        expect(await messages.statusOf(sent)).toBeUndefined();
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

      it("keeps a receipt's error code, and a later receipt without one leaves none", async () => {
        // Prepare
        const record = aMessageRecord({ messageId: newMessageId() });
        await messages.claim(record);

        // Act
        await messages.applyReceipt(record.messageId, 'sent', '30001', SENT_AT);
        const withCode = await messages.get(record.messageId);
        await messages.applyReceipt(record.messageId, 'delivered', undefined, RECEIPT_AT);

        // Assess: the port's errorCode is a string or absent, never null.
        expect(withCode).toEqual({ ...record, status: 'sent', errorCode: '30001', updatedAt: SENT_AT });
        expect(await messages.get(record.messageId)).toEqual({ ...record, status: 'delivered', errorCode: undefined, updatedAt: RECEIPT_AT });
      });

      it.each<MessageStatus>(['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read'])(
        'ranks a skip above every receipt: a %s receipt never moves it (it was never sent)',
        async (status) => {
          // Prepare
          const skip = aMessageRecord({ messageId: newMessageId(), status: 'skipped', skipReason: 'opted_out' });
          await messages.recordOnce(structuredClone(skip));

          // Act
          const applied = await messages.applyReceipt(skip.messageId, status, undefined, RECEIPT_AT);

          // Assess
          expect(applied).toBeUndefined();
          expect(await messages.get(skip.messageId)).toEqual(skip);
        },
      );

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

    describe('the price, erasure and a failure without a code', () => {
      it('records the estimate, the price reported and the sender identity with the send', async () => {
        // Prepare
        const record = aMessageRecord({ messageId: newMessageId() });
        await messages.claim(record);
        const estimate = { currency: 'GBP', estimatedMicros: 35_000, units: 1, country: 'GB' };

        // Act
        await messages.markSent(record.messageId, 'aws-sms', 'AWS1', SENT_AT, { estimate, providerPrice: { amount: 0.04, currency: 'USD' }, senderId: 'crier-sms' });

        // Assess
        expect(await messages.get(record.messageId)).toEqual({
          ...record,
          status: 'sent',
          provider: 'aws-sms',
          providerMessageId: 'AWS1',
          updatedAt: SENT_AT,
          cost: estimate,
          providerPrice: { amount: 0.04, currency: 'USD' },
          senderId: 'crier-sms',
        });
      });

      it('records a price reported later by a receipt, and prices nothing for a message it does not know', async () => {
        // Prepare
        const record = aMessageRecord({ messageId: newMessageId() });
        await messages.claim(record);
        const unknown = newMessageId();

        // Act
        await messages.recordProviderPrice(record.messageId, { amount: 0.0079, currency: 'USD' });
        await messages.recordProviderPrice(unknown, { amount: 0.0079, currency: 'USD' });

        // Assess
        expect(await messages.get(record.messageId)).toEqual({ ...record, providerPrice: { amount: 0.0079, currency: 'USD' } });
        expect(await messages.get(unknown)).toBeUndefined();
      });

      it('records a failure without a code as one with no code', async () => {
        // Prepare
        const record = aMessageRecord({ messageId: newMessageId() });
        await messages.claim(record);

        // Act
        await messages.markFailed(record.messageId, undefined, SENT_AT);

        // Assess
        expect(await messages.get(record.messageId)).toEqual({ ...record, status: 'failed', errorCode: undefined, updatedAt: SENT_AT });
      });

      it('forgets the records that exist among the ids, each once, and counts them', async () => {
        // Prepare
        const kept = aMessageRecord({ messageId: newMessageId() });
        const erased = aMessageRecord({ messageId: newMessageId() });
        await messages.claim(kept);
        await messages.claim(erased);

        // Act
        const forgotten = await messages.forget([erased.messageId, erased.messageId, newMessageId()]);
        const none = await messages.forget([]);

        // Assess
        expect([forgotten, none]).toEqual([1, 0]);
        expect(await messages.get(erased.messageId)).toBeUndefined();
        expect(await messages.get(kept.messageId)).toEqual(kept);
      });

      it('anonymises the recipient and keeps the rest, so receipts still find it; creates nothing for an unknown id', async () => {
        // Prepare
        const record = aMessageRecord({ messageId: newMessageId() });
        await messages.claim(record);
        const unknown = newMessageId();

        // Act
        await messages.anonymiseRecipient(record.messageId);
        await messages.anonymiseRecipient(unknown);
        const applied = await messages.applyReceipt(record.messageId, 'delivered', undefined, RECEIPT_AT);

        // Assess
        expect(applied).toEqual({ previous: 'sending', broadcastId: record.broadcastId });
        expect(await messages.get(record.messageId)).toEqual({ ...record, to: ERASED, status: 'delivered', updatedAt: RECEIPT_AT });
        expect(await messages.get(unknown)).toBeUndefined();
      });
    });
  });

  describe(`${name}: listing a broadcast's messages`, () => {
    /** A message of a broadcast to a resident, its id as the sender makes it. */
    const messageTo = (broadcastId: string, resident: number, overrides: Partial<MessageRecord> = {}) =>
      aMessageRecord({ messageId: broadcastMessageId(broadcastId, aPhone(resident)), broadcastId, to: aPhone(resident), ...overrides });

    /** Every page, following the cursors, as the report does. */
    async function allPages(store: MessageStore, broadcastId: string, limit: number): Promise<MessageRecord[][]> {
      const pages: MessageRecord[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listByBroadcast(broadcastId, limit, cursor);
        pages.push(page.items);
        cursor = page.cursor;
      } while (cursor);
      return pages;
    }

    let store: MessageStore;

    // A store of its own per case: a case lists all that a broadcast has.
    beforeEach(async () => {
      store = await makeStore();
    });

    it("lists a broadcast's claims, sends and skips page by page, by number, with no empty last page", async () => {
      // Prepare
      const written = [
        messageTo(BROADCAST, 5),
        messageTo(BROADCAST, 1, { status: 'skipped', skipReason: 'opted_out' }),
        messageTo(BROADCAST, 3),
        messageTo(BROADCAST, 2),
        messageTo(BROADCAST, 4, { channel: 'whatsapp' }),
      ];
      for (const record of written) {
        if (record.status === 'skipped') await store.recordOnce(record);
        else await store.claim(record);
      }
      await store.markSent(written[0]!.messageId, 'sandbox', 'SM5', SENT_AT);
      await store.claim(messageTo(OTHER_BROADCAST, 6));
      await store.claim(aMessageRecord({ messageId: broadcastMessageId('none', aPhone(7)), broadcastId: undefined, to: aPhone(7) }));

      // Act
      const pages = await allPages(store, BROADCAST, 2);

      // Assess
      expect(pages.map((page) => page.map((record) => record.to))).toEqual([
        [aPhone(1), aPhone(2)],
        [aPhone(3), aPhone(4)],
        [aPhone(5)],
      ]);
      expect(pages.flat().find((record) => record.to === aPhone(5))).toMatchObject({ status: 'sent', provider: 'sandbox', updatedAt: SENT_AT });
      expect(pages.flat().find((record) => record.to === aPhone(1))).toEqual(written[1]);
    });

    it('lists every number once, in number order, across pages that each draw on several of its partitions', async () => {
      // Prepare
      const residents = [907, 13, 450, 21, 999, 118, 37, 640, 2, 85, 316, 774, 59, 203, 461, 880, 9, 532, 127, 64, 300, 48, 715, 96, 251];
      for (const resident of residents) await store.claim(messageTo(BROADCAST, resident));

      // Act
      const pages = await allPages(store, BROADCAST, 7);

      // Assess
      expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 4]);
      expect(pages.flat().map((record) => record.to)).toEqual(residents.map(aPhone).sort());
    });

    it('gives no cursor when a page holds exactly what is left', async () => {
      // Prepare
      await store.claim(messageTo(BROADCAST, 11));
      await store.claim(messageTo(BROADCAST, 12));

      // Act
      const page = await store.listByBroadcast(BROADCAST, 2, undefined);

      // Assess
      expect(page.items).toHaveLength(2);
      expect(page.cursor).toBeUndefined();
    });

    it("leaves out an erased resident's message (erasure deletes it, and its index entry with it)", async () => {
      // Prepare
      const erased = messageTo(BROADCAST, 21);
      await store.claim(erased);
      await store.claim(messageTo(BROADCAST, 22));

      // Act
      await store.forget([erased.messageId]);
      const page = await store.listByBroadcast(BROADCAST, 10, undefined);

      // Assess
      expect(page.items.map((record) => record.to)).toEqual([aPhone(22)]);
    });

    it("refuses another broadcast's cursor", async () => {
      // Prepare
      await store.claim(messageTo(OTHER_BROADCAST, 31));
      await store.claim(messageTo(OTHER_BROADCAST, 32));
      const { cursor } = await store.listByBroadcast(OTHER_BROADCAST, 1, undefined);

      // Act
      const listing = store.listByBroadcast(BROADCAST, 1, cursor);

      // Assess
      await expect(listing).rejects.toThrow(ValidationError);
    });

    it('lists nothing for a broadcast that sent nothing', async () => {
      // Act
      const page = await store.listByBroadcast(BROADCAST, 10, undefined);

      // Assess
      expect(page).toEqual({ items: [], cursor: undefined });
    });
  });
}
