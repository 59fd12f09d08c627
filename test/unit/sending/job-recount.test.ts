import { describe, expect, it } from 'vitest';
import { broadcastMessageId } from '../../../shared/sending/send-message.js';
import type { MessageRecord } from '../../../shared/sending/message-store.js';
import { outcomeOf, recountJob, type RecordOutcome } from '../../../shared/sending/job-recount.js';
import { aMessageRecord, aPhone } from '../../support/builders.js';
import { inMemoryStores } from '../../support/in-memory-stores.js';

const BROADCAST_ID = 'bc-0001';
const JOB_ID = 'job-1';

describe('outcomeOf', () => {
  it.each<[string, Partial<MessageRecord>, RecordOutcome]>([
    ['a skip', { status: 'skipped', skipReason: 'opted_out' }, 'skipped'],
    ['a claim still sending', { status: 'sending' }, 'in-flight'],
    ['a queued record', { status: 'queued' }, 'in-flight'],
    ['a sent message', { status: 'sent', providerMessageId: 'SM1' }, 'sent'],
    ['a delivered message', { status: 'delivered', providerMessageId: 'SM1' }, 'sent'],
    ['a read message', { status: 'read', providerMessageId: 'SM1' }, 'sent'],
    ['an undelivered message', { status: 'undelivered', providerMessageId: 'SM1' }, 'sent'],
    ['a delivery whose receipt overtook the send (no provider id yet)', { status: 'delivered' }, 'sent'],
    ['a message the provider took and a receipt failed', { status: 'failed', providerMessageId: 'SM1', errorCode: '30003' }, 'sent'],
    ['a send the provider refused', { status: 'failed', errorCode: '21211' }, 'failed'],
    ['a claim settled as outcome unknown', { status: 'failed', errorCode: 'outcomeUnknown' }, 'failed'],
  ])('counts %s as %s', (_case, overrides, outcome) => {
    // Prepare
    const record = aMessageRecord(overrides);

    // Act
    const counted = outcomeOf(record);

    // Assess
    expect(counted).toBe(outcome);
  });
});

describe('recountJob', () => {
  it("counts the job's own records by outcome, reason and cost, and lists its claims still in flight", async () => {
    // Prepare
    const stores = inMemoryStores();
    const phones = Array.from({ length: 7 }, (_, index) => aPhone(index + 1));
    const recordFor = (index: number, overrides: Partial<MessageRecord>) =>
      aMessageRecord({ messageId: broadcastMessageId(BROADCAST_ID, phones[index]!), broadcastId: BROADCAST_ID, to: phones[index]!, jobId: JOB_ID, ...overrides });
    const cost = { currency: 'GBP', estimatedMicros: 33_300, units: 1, country: 'GB' };
    await stores.messages.recordOnce(recordFor(0, { status: 'sent', providerMessageId: 'SM0', cost }));
    await stores.messages.recordOnce(recordFor(1, { status: 'delivered', providerMessageId: 'SM1', cost }));
    await stores.messages.recordOnce(recordFor(2, { status: 'failed', errorCode: '21211' }));
    await stores.messages.recordOnce(recordFor(3, { status: 'skipped', skipReason: 'opted_out' }));
    await stores.messages.recordOnce(recordFor(4, { status: 'sending' }));
    // Another job's record (a page the fan-out queued twice): that job counts it.
    await stores.messages.recordOnce(recordFor(5, { status: 'sent', providerMessageId: 'SM5', jobId: 'job-2' }));
    // phones[6]: not reached yet, no record.

    // Act
    const recount = await recountJob(stores, { broadcastId: BROADCAST_ID, jobId: JOB_ID, recipients: phones.map((phone) => ({ phone, channel: 'sms' })) });

    // Assess
    expect(recount).toEqual({
      delta: { sent: 2, failed: 1, skipped: 1, skippedBy: { opted_out: 1 }, costMicros: 66_600, costCurrency: 'GBP' },
      inFlight: [broadcastMessageId(BROADCAST_ID, phones[4]!)],
    });
  });

  it('counts nothing for a job that has made no records', async () => {
    // Prepare
    const stores = inMemoryStores();

    // Act
    const recount = await recountJob(stores, { broadcastId: BROADCAST_ID, jobId: JOB_ID, recipients: [{ phone: aPhone(1), channel: 'whatsapp' }] });

    // Assess
    expect(recount).toEqual({ delta: { sent: 0, failed: 0, skipped: 0, skippedBy: {}, costMicros: 0, costCurrency: undefined }, inFlight: [] });
  });
});
