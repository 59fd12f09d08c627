import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { dynamoStores } from '../../shared/adapters/dynamo/stores.js';
import type { Stores } from '../../shared/ports/stores.js';
import { recordReceipt } from '../../shared/sending/record-receipt.js';
import { broadcastMessageId, sendBroadcastBatch, type SendDependencies } from '../../shared/sending/send.js';
import { aBroadcast, aBroadcastSendJob, aMessageRecord, aPhone, aStatusReport, inboundEvidence } from '../support/builders.js';
import { FixedClock, ScriptedProvider, SequentialIds } from '../support/in-memory-stores.js';
import { senderDependencies, sendingForTests } from '../support/in-memory-pacing.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

const AT = '2025-03-01T09:00:00.000Z';
const DAY = '2025-03-01';

let nextBroadcast = 0;
const newBroadcastId = () => `bc-cost-${String(nextBroadcast++).padStart(4, '0')}`;

describe('costs in DynamoDB', () => {
  let table: TestTable;
  let stores: Stores;

  beforeAll(async () => {
    table = await freshTable('crier-costs');
    stores = dynamoStores(table.documents, table.tableName, 8);
  });

  function sendDependencies(provider = new ScriptedProvider()): SendDependencies {
    return senderDependencies(stores, new FixedClock(AT), provider, sendingForTests(new FixedClock()));
  }

  it("adds a batch's estimate to the broadcast and the department's day, and each message keeps its own", async () => {
    // Prepare: three residents in GB; one SMS is UCS-2 text (two segments), one a WhatsApp message
    const id = newBroadcastId();
    const department = `costs-${id}`;
    await stores.broadcasts.create(aBroadcast({ id, department, body: 'Ffordd ar gau ger Llanfair — dargyfeiriad' }));
    const [alice, bob, carol] = [aPhone(201), aPhone(202), aPhone(203)];
    for (const phone of [alice, bob, carol]) {
      await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());
      await stores.subscribers.recordWhatsAppWindow(phone, AT);
    }
    const job = aBroadcastSendJob({
      broadcastId: id,
      recipients: [
        { phone: alice, channel: 'sms' },
        { phone: bob, channel: 'sms' },
        { phone: carol, channel: 'whatsapp' },
      ],
    });

    // Act: the batch, then SQS delivering it again
    await sendBroadcastBatch(sendDependencies(), job);
    await sendBroadcastBatch(sendDependencies(), job);

    // Assess: the em dash forces UCS-2 but the text with its footer still fits 70: one segment each
    const aliceMessage = await stores.messages.get(broadcastMessageId(id, alice));
    expect(aliceMessage?.cost).toEqual({ currency: 'GBP', estimatedMicros: 40_000, units: 1, country: 'GB' });
    expect((await stores.messages.get(broadcastMessageId(id, carol)))?.cost).toMatchObject({ estimatedMicros: 20_000, units: 1 });
    const broadcast = await stores.broadcasts.get(id);
    expect(broadcast?.cost).toEqual({ currency: 'GBP', estimatedMicros: 100_000 });
    expect(broadcast?.counts).toMatchObject({ sent: 3 });
    expect(await stores.departments.cost(department, DAY)).toEqual({ costMicros: 100_000, replyCostMicros: 0, currency: 'GBP' });
    // Sent messages are counted in the same ADD as the cost, and the redelivery added none.
    expect(await stores.departments.usage(department, DAY, DAY)).toEqual([
      { day: DAY, sent: 3, countedAgainstCap: 0, costMicros: 100_000, replyCostMicros: 0, currency: 'GBP' },
    ]);
  });

  it('sums segments × rate: a long UCS-2 text costs its segments', async () => {
    // Prepare: 100 characters with a ŵ: UCS-2, two segments (67 each when joined) with the footer
    const id = newBroadcastId();
    const department = `costs-${id}`;
    await stores.broadcasts.create(aBroadcast({ id, department, body: `ŵ${'a'.repeat(99)}` }));
    const phone = aPhone(204);
    await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());

    // Act
    await sendBroadcastBatch(sendDependencies(), aBroadcastSendJob({ broadcastId: id, recipients: [{ phone, channel: 'sms' }] }));

    // Assess
    expect((await stores.messages.get(broadcastMessageId(id, phone)))?.cost).toMatchObject({ units: 2, estimatedMicros: 80_000 });
    expect((await stores.broadcasts.get(id))?.cost).toEqual({ currency: 'GBP', estimatedMicros: 80_000 });
  });

  it("keeps a department's cost beside its cap usage on the same day item, which expires", async () => {
    // Prepare
    const department = `costs-${newBroadcastId()}`;
    await stores.departments.reserve(department, DAY, 5, 100);

    // Act
    await stores.departments.addCost(department, DAY, 33_300, 'GBP');

    // Assess
    const { Item } = await table.documents.send(new GetCommand({ TableName: table.tableName, Key: keys.departmentUsage(department, DAY) }));
    expect(Item).toMatchObject({ used: 5, costMicros: 33_300, type: 'departmentUsage' });
    expect(typeof Item?.expiresAt).toBe('number');
  });

  it("keeps a provider's price on the message from a receipt, and from the send when a receipt overtook it", async () => {
    // Prepare
    const id = newBroadcastId();
    await stores.broadcasts.create(aBroadcast({ id }));
    const overtaken = aMessageRecord({ messageId: `${id}-1`, broadcastId: id, status: 'sending' });
    const receipted = aMessageRecord({ messageId: `${id}-2`, broadcastId: id, status: 'sending' });
    await stores.messages.claim(overtaken);
    await stores.messages.claim(receipted);
    await stores.messages.applyReceipt(overtaken.messageId, 'delivered', undefined, AT);
    const estimate = { currency: 'GBP', estimatedMicros: 40_000, units: 1, country: undefined };

    // Act
    await stores.messages.markSent(overtaken.messageId, 'twilio', 'SM1', AT, { estimate, providerPrice: { amount: 0.0079, currency: 'USD' } });
    await stores.messages.markSent(receipted.messageId, 'aws-sms', 'aws-1', AT, { estimate });
    await recordReceipt(
      { stores, clock: new FixedClock(AT), ids: new SequentialIds() },
      aStatusReport({ messageId: receipted.messageId, status: 'delivered', price: { amount: 0.0394, currency: 'USD' } }),
    );

    // Assess: the country nobody could tell is left out, not stored as null
    expect(await stores.messages.get(overtaken.messageId)).toMatchObject({
      status: 'delivered',
      cost: { currency: 'GBP', estimatedMicros: 40_000, units: 1 },
      providerPrice: { amount: 0.0079, currency: 'USD' },
    });
    expect((await stores.messages.get(overtaken.messageId))?.cost).not.toHaveProperty('country');
    expect(await stores.messages.get(receipted.messageId)).toMatchObject({ status: 'delivered', providerPrice: { amount: 0.0394, currency: 'USD' } });
    expect((await stores.broadcasts.get(id))?.cost).toBeUndefined();
  });
});
