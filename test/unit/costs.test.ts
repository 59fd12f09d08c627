import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../shared/domain/errors.js';
import { twilioPrice } from '../../shared/adapters/providers/twilio/adapter.js';
import { parseEnvironment } from '../../shared/runtime/environment.js';
import { priceTableEnvSchema } from '../../shared/config/env.js';
import { destinationCountry, estimateMessageCost, fromMicros, rateFor, toMicros } from '../../shared/domain/costs.js';
import type { Channel } from '../../shared/domain/model.js';
import { defaultPriceTable, priceTableSchema, type PriceTable } from '../../shared/domain/sms-preview.js';
import { recordReceipt } from '../../shared/sending/record-receipt.js';
import { broadcastMessageId, costShares, sendBroadcastBatch, sendReply, type SendDependencies } from '../../shared/sending/send.js';
import type { ReplySendJob } from '../../shared/domain/jobs.js';
import { aBroadcast, aBroadcastSendJob, aMessageRecord, aReplySendJob, aPhone, aStatusReport, inboundEvidence } from '../support/builders.js';
import { FixedClock, ScriptedProvider, SequentialIds, inMemoryStores } from '../support/in-memory-stores.js';
import { senderDependencies, sendingForTests } from '../support/in-memory-pacing.js';

const GB = '+447700900101';
const IE = '+353851234567';
const US = '+12125550123';
const CA = '+14165550123';
const DE = '+4915112345678';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('destinationCountry', () => {
  it.each([
    [GB, 'GB'],
    [IE, 'IE'],
    [US, 'US'],
    [CA, 'CA'],
    [DE, 'DE'],
    ['+80012345678', undefined],
  ])('%s is in %s', (phone, country) => {
    // Prepare / Act / Assess
    expect(destinationCountry(phone)).toBe(country);
  });
});

describe('rateFor: the built-in price table, one row per entry and the default for other countries', () => {
  it.each<[Channel, string | undefined, number]>([
    ['sms', 'GB', 0.04],
    ['sms', 'IE', 0.07],
    ['sms', 'US', 0.01],
    ['sms', 'CA', 0.01],
    ['sms', 'DE', 0.08],
    ['sms', undefined, 0.08],
    ['whatsapp', 'GB', 0.02],
    ['whatsapp', 'IE', 0.03],
    ['whatsapp', undefined, 0.03],
  ])('%s to %s costs %s', (channel, country, rate) => {
    // Prepare / Act / Assess
    expect(rateFor(defaultPriceTable, channel, country)).toBe(rate);
  });

  it('covers every entry of the built-in table in the rows above', () => {
    // Prepare / Act / Assess: a new entry needs its own row
    expect(Object.keys(defaultPriceTable.sms.byCountry ?? {}).sort()).toEqual(['CA', 'GB', 'IE', 'US']);
    expect(Object.keys(defaultPriceTable.whatsapp.byCountry ?? {})).toEqual(['GB']);
  });
});

describe('estimateMessageCost', () => {
  const gsm160 = 'a'.repeat(160);

  it.each([
    ['one GSM-7 segment to GB', 'sms', GB, 'Road closed.', 1, 40_000],
    ['160 GSM-7 characters: still one segment', 'sms', GB, gsm160, 1, 40_000],
    ['161 GSM-7 characters: two segments', 'sms', GB, `${gsm160}a`, 2, 80_000],
    ['one segment to Ireland at its own rate', 'sms', IE, 'Road closed.', 1, 70_000],
    ['one segment to Germany at the default rate', 'sms', DE, 'Road closed.', 1, 80_000],
    ['WhatsApp to GB: flat, however long', 'whatsapp', GB, `${gsm160}${gsm160}ŵ`, 1, 20_000],
    ['WhatsApp elsewhere: the default flat rate', 'whatsapp', DE, 'Road closed.', 1, 30_000],
  ] as const)('%s', (_name, channel, to, body, units, micros) => {
    // Prepare / Act
    const estimate = estimateMessageCost(defaultPriceTable, { channel, to, body });

    // Assess
    expect(estimate).toMatchObject({ currency: 'GBP', units, estimatedMicros: micros });
  });

  it('doubles the count when one character forces UCS-2', () => {
    // Prepare: 100 characters fit one GSM-7 segment, but UCS-2 carries 70 a segment (67 when joined)
    const plain = 'w'.repeat(100);
    const welsh = `ŵ${'w'.repeat(99)}`;

    // Act
    const gsm = estimateMessageCost(defaultPriceTable, { channel: 'sms', to: GB, body: plain });
    const ucs2 = estimateMessageCost(defaultPriceTable, { channel: 'sms', to: GB, body: welsh });

    // Assess
    expect(gsm).toMatchObject({ units: 1, estimatedMicros: 40_000 });
    expect(ucs2).toMatchObject({ units: 2, estimatedMicros: 80_000 });
  });

  it('sums in whole micro-units, without float drift', () => {
    // Prepare: 0.0333 × 3 is 0.09989999999999999 in floating point
    const odd: PriceTable = { sms: { perSegment: 0.0333 }, whatsapp: { perMessage: 0.0158 }, currency: 'GBP' };

    // Act
    const costs = [GB, GB, GB].map((to) => estimateMessageCost(odd, { channel: 'sms', to, body: 'Road closed.' }).estimatedMicros);
    const total = costs.reduce((sum, cost) => sum + cost, 0);

    // Assess
    expect(costs.every(Number.isSafeInteger)).toBe(true);
    expect(total).toBe(99_900);
    expect(fromMicros(total)).toBe(0.0999);
    expect(toMicros(0.1) + toMicros(0.2)).toBe(toMicros(0.3));
  });
});

describe('priceTableSchema: rates per country', () => {
  it('accepts rates for named countries beside the default', () => {
    // Prepare / Act
    const prices = priceTableSchema.parse({ sms: { perSegment: 0.08, byCountry: { GB: 0.035 } }, whatsapp: { perMessage: 0.02 }, currency: 'EUR' });

    // Assess
    expect(rateFor(prices, 'sms', 'GB')).toBe(0.035);
    expect(rateFor(prices, 'sms', 'FR')).toBe(0.08);
  });

  it.each([
    [{ sms: { perSegment: 0.04, byCountry: { gb: 0.04 } }, whatsapp: { perMessage: 0.02 } }, 'sms.byCountry.gb'],
    [{ sms: { perSegment: 0.04, byCountry: { GB: -0.01 } }, whatsapp: { perMessage: 0.02 } }, 'sms.byCountry.GB'],
    [{ sms: { perSegment: 0.04 }, whatsapp: { perMessage: 0.02, byCountry: { IE: 'cheap' } } }, 'whatsapp.byCountry.IE'],
  ])('refuses %j at %s', (input, path) => {
    // Prepare / Act
    const result = priceTableSchema.safeParse(input);

    // Assess
    expect(result.error?.issues[0]?.path.join('.')).toBe(path);
  });
});

describe('PRICE_TABLE', () => {
  it('takes the built-in estimates when unset', () => {
    // Prepare / Act / Assess
    expect(parseEnvironment(priceTableEnvSchema, {}).PRICE_TABLE).toEqual(defaultPriceTable);
  });

  it('reads a price table as JSON', () => {
    // Prepare
    const table = { sms: { perSegment: 0.05, byCountry: { GB: 0.03 } }, whatsapp: { perMessage: 0.01 }, currency: 'EUR' };

    // Act / Assess
    expect(parseEnvironment(priceTableEnvSchema, { PRICE_TABLE: JSON.stringify(table) }).PRICE_TABLE).toEqual(table);
  });

  it.each([
    ['{sms:', /PRICE_TABLE: must be JSON/],
    ['{"sms":{"perSegment":-1},"whatsapp":{"perMessage":0}}', /PRICE_TABLE\.sms\.perSegment/],
    ['{"sms":{"perSegment":0.04},"whatsapp":{"perMessage":0.02},"currency":"pounds"}', /PRICE_TABLE\.currency/],
  ])('refuses %s, naming the variable', (value, message) => {
    // Prepare / Act
    const act = () => parseEnvironment(priceTableEnvSchema, { PRICE_TABLE: value });

    // Assess
    expect(act).toThrow(message);
  });
});

describe('twilioPrice', () => {
  it.each([
    [{ price: '-0.04000', priceUnit: 'USD' }, { amount: 0.04, currency: 'USD' }],
    [{ price: '0.0079', priceUnit: 'gbp' }, { amount: 0.0079, currency: 'GBP' }],
    [{ price: null, priceUnit: 'USD' }, undefined],
    [{ price: '-0.04', priceUnit: null }, undefined],
    [{}, undefined],
  ])('%j → %j', (created, price) => {
    // Prepare / Act / Assess
    expect(twilioPrice(created)).toEqual(price);
  });
});

/** A sender's dependencies on in-memory stores, priced with the built-in table, on 2025-03-01. */
function sendDependencies(stores: ReturnType<typeof inMemoryStores>, provider: ScriptedProvider): SendDependencies {
  return senderDependencies(stores, new FixedClock(), provider, sendingForTests(new FixedClock()));
}

describe('sendBroadcastBatch: costs', () => {
  const BROADCAST_ID = '01jbroadcast0000000000000a';
  const alice = aPhone(101);
  const bob = aPhone(102);
  const carol = aPhone(103);

  async function setUp() {
    const stores = inMemoryStores();
    await stores.broadcasts.create(aBroadcast({ id: BROADCAST_ID, body: 'Queues on the A470.', department: 'traffic' }));
    for (const phone of [alice, bob, carol]) {
      await stores.subscribers.subscribe(phone, 'sms', 'traffic', '2025-03-01T09:00:00.000Z', inboundEvidence());
      await stores.subscribers.recordWhatsAppWindow(phone, '2025-03-01T09:00:00.000Z');
    }
    const provider = new ScriptedProvider();
    return { deps: sendDependencies(stores, provider), stores, provider };
  }

  it('stores each message its estimate and adds the batch total to the broadcast in its one count write, and to the department once', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    const addCounts = vi.spyOn(stores.broadcasts, 'addCounts');
    const addCost = vi.spyOn(stores.departments, 'addCost');
    const job = aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: [{ phone: alice, channel: 'sms' }, { phone: bob, channel: 'whatsapp' }] });

    // Act
    await sendBroadcastBatch(deps, job);

    // Assess: the SMS is one GSM-7 segment to GB (£0.04), the WhatsApp message flat (£0.02)
    expect((await stores.messages.get(broadcastMessageId(BROADCAST_ID, alice)))?.cost).toEqual({
      currency: 'GBP',
      estimatedMicros: 40_000,
      units: 1,
      country: 'GB',
    });
    expect((await stores.messages.get(broadcastMessageId(BROADCAST_ID, bob)))?.cost).toMatchObject({ estimatedMicros: 20_000 });
    expect(addCounts).toHaveBeenCalledTimes(1);
    expect((await stores.broadcasts.get(BROADCAST_ID))?.cost).toEqual({ currency: 'GBP', estimatedMicros: 60_000 });
    expect(addCost).toHaveBeenCalledTimes(1);
    expect(await stores.departments.cost('traffic', '2025-03-01')).toEqual({ costMicros: 60_000, replyCostMicros: 0, currency: 'GBP' });
    // The usage page's count of messages sent rides in that same one ADD.
    expect(await stores.departments.usage('traffic', '2025-03-01', '2025-03-01')).toEqual([
      { day: '2025-03-01', sent: 2, countedAgainstCap: 0, costMicros: 60_000, replyCostMicros: 0, currency: 'GBP' },
    ]);
  });

  it('prices the exact text sent: a footer that tips it into a second segment counts', async () => {
    // Prepare: 150 characters, and the 20-character footer takes it past 160
    const { deps, stores } = await setUp();
    await stores.broadcasts.delete(BROADCAST_ID);
    await stores.broadcasts.create(aBroadcast({ id: BROADCAST_ID, body: 'x'.repeat(150) }));

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: [{ phone: alice, channel: 'sms' }] }));

    // Assess
    expect((await stores.messages.get(broadcastMessageId(BROADCAST_ID, alice)))?.cost).toMatchObject({ units: 2, estimatedMicros: 80_000 });
  });

  it('adds nothing for a failed send, a skip or a redelivered batch', async () => {
    // Prepare
    const { deps, stores, provider } = await setUp();
    await stores.subscribers.optOut(carol, 'sms', '2025-03-01T08:59:59.000Z', inboundEvidence({ text: 'STOP' }));
    provider.answer = (message) => (message.to === bob ? new ProviderError('sandbox', 'invalidRecipient', 'not a mobile number') : provider.accept());
    const job = aBroadcastSendJob({
      broadcastId: BROADCAST_ID,
      recipients: [
        { phone: alice, channel: 'sms' },
        { phone: bob, channel: 'sms' },
        { phone: carol, channel: 'sms' },
      ],
    });

    // Act
    await sendBroadcastBatch(deps, job);
    await sendBroadcastBatch(deps, job);

    // Assess: only alice's one segment, once
    expect((await stores.broadcasts.get(BROADCAST_ID))?.cost).toEqual({ currency: 'GBP', estimatedMicros: 40_000 });
    expect(await stores.departments.cost('traffic', '2025-03-01')).toEqual({ costMicros: 40_000, replyCostMicros: 0, currency: 'GBP' });
    expect((await stores.messages.get(broadcastMessageId(BROADCAST_ID, bob)))?.cost).toBeUndefined();
  });

  it('keeps a price the provider reported at send time beside the estimate', async () => {
    // Prepare
    const { deps, stores, provider } = await setUp();
    provider.answer = () => ({ ...provider.accept(), price: { amount: 0.0079, currency: 'USD' } });

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: [{ phone: alice, channel: 'sms' }] }));

    // Assess: the broadcast's sum stays the estimate, in the table's currency
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, alice))).toMatchObject({
      providerPrice: { amount: 0.0079, currency: 'USD' },
      cost: { estimatedMicros: 40_000 },
    });
    expect((await stores.broadcasts.get(BROADCAST_ID))?.cost).toEqual({ currency: 'GBP', estimatedMicros: 40_000 });
  });
});

describe('sendReply: costs', () => {
  const alice = aPhone(101);
  const bob = aPhone(102);
  const carol = aPhone(103);

  it.each<[string, Partial<ReplySendJob>, string]>([
    ['a reply about a topic: its department', { department: 'youth' }, 'youth'],
    ['a reply queued before replies carried a department: general', {}, 'general'],
  ])('%s', async (_case, overrides, department) => {
    // Prepare
    const stores = inMemoryStores();
    const deps = sendDependencies(stores, new ScriptedProvider());

    // Act
    await sendReply(deps, aReplySendJob(overrides));

    // Assess: one GSM-7 segment to GB, kept apart as a reply's cost
    expect(await stores.departments.cost(department, '2025-03-01')).toEqual({ costMicros: 40_000, replyCostMicros: 40_000, currency: 'GBP' });
  });

  it('adds nothing for a redelivered reply, a failed one or one to a resident who has opted out', async () => {
    // Prepare
    const stores = inMemoryStores();
    const provider = new ScriptedProvider();
    const deps = sendDependencies(stores, provider);
    await stores.subscribers.optOut(carol, 'sms', '2025-03-01T08:59:59.000Z', inboundEvidence({ text: 'STOP' }));
    provider.answer = (message) => (message.to === bob ? new ProviderError('sandbox', 'invalidRecipient', 'not a mobile number') : provider.accept());
    const toAlice = aReplySendJob({ department: 'youth', to: alice });

    // Act
    await sendReply(deps, toAlice);
    await sendReply(deps, toAlice);
    await sendReply(deps, aReplySendJob({ department: 'youth', to: bob, messageId: 'reply-sandbox-SM0002' }));
    await sendReply(deps, aReplySendJob({ department: 'youth', to: carol, messageId: 'reply-sandbox-SM0003' }));

    // Assess: alice's one segment, once
    expect(await stores.departments.cost('youth', '2025-03-01')).toEqual({ costMicros: 40_000, replyCostMicros: 40_000, currency: 'GBP' });
  });
});

describe('recordReceipt: a provider-reported price', () => {
  it('is kept on the message, and the broadcast is not written for it', async () => {
    // Prepare
    const stores = inMemoryStores();
    await stores.broadcasts.create(aBroadcast({ id: 'bc-0001', status: 'sent' }));
    await stores.messages.claim(aMessageRecord({ messageId: 'bc-0001-447700900101', broadcastId: 'bc-0001', status: 'delivered' }));
    const addCounts = vi.spyOn(stores.broadcasts, 'addCounts');
    const deps = { stores, clock: new FixedClock(), ids: new SequentialIds() };

    // Act: a late, stale receipt still carries the price
    await recordReceipt(deps, aStatusReport({ messageId: 'bc-0001-447700900101', status: 'sent', price: { amount: 0.0394, currency: 'USD' } }));

    // Assess
    expect((await stores.messages.get('bc-0001-447700900101'))?.providerPrice).toEqual({ amount: 0.0394, currency: 'USD' });
    expect(addCounts).not.toHaveBeenCalled();
  });
});

describe('costShares', () => {
  it.each<[string[], number, [string, number][]]>([
    [['traffic'], 100_001, [['traffic', 100_001]]],
    [['traffic', 'youth'], 100_000, [['traffic', 50_000], ['youth', 50_000]]],
    [['comms', 'traffic', 'youth'], 100_001, [['comms', 33_335], ['traffic', 33_333], ['youth', 33_333]]],
  ])('%j sharing %i', (departments, cost, shares) => {
    // Prepare / Act
    const result = costShares(departments, cost);

    // Assess: whole micro-units that add up to the cost
    expect(result).toEqual(shares);
    expect(result.reduce((sum, [, share]) => sum + share, 0)).toBe(cost);
  });
});
