import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoStores } from '../../shared/adapters/dynamo/stores.js';
import { ERASED, keyedPhoneHash, legacyPhoneHash } from '../../shared/domain/erasure.js';
import { TEST_PHONE_HASH_KEY, testPhoneHasher } from '../support/phone-hash.js';
import { NotFoundError } from '../../shared/domain/errors.js';
import { inboxEntryId } from '../../shared/inbox/entry-id.js';
import type { ReplySendJob } from '../../shared/domain/jobs.js';
import type { E164 } from '../../shared/domain/phone.js';
import type { Stores } from '../../shared/ports/stores.js';
import { handleInboundText } from '../../shared/consent/handle-inbound.js';
import { broadcastMessageId } from '../../shared/sending/send.js';
import { eraseSubscriber, getSubscriber } from '../../shared/residents/subscribers.js';
import { aBroadcast, aMessageRecord, aMessageSid, anInboundSettings, anInboundText, aPhone, aPrincipal, aTopic } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';
import { failingWhen, partitionOf } from '../support/failing-documents.js';
import { FixedClock, RecordingQueue, SequentialIds } from '../support/in-memory-stores.js';

const SHARDS = 4;
const operator = aPrincipal({ keyId: 'key-operator', role: 'operator', department: 'it' });

/** Erasure through the real DynamoDB adapters: every place the number and texts sit. */
describe('eraseSubscriber against DynamoDB', () => {
  let table: TestTable;
  let stores: Stores;
  const clock = new FixedClock('2025-03-01T09:00:00.000Z');
  const ids = new SequentialIds('audit');
  const deps = () => ({ stores, clock, ids });

  beforeAll(async () => {
    table = await freshTable('crier-erasure');
    stores = dynamoStores(table.documents, table.tableName, SHARDS, { phoneHash: testPhoneHasher });
    await stores.topics.create(aTopic({ id: 'traffic', keywords: ['TRAFFIC'] }));
    await stores.topics.create(aTopic({ id: 'parks', keywords: ['PARKS'], department: 'parks' }));
  });

  /** A resident who joined by text, asked a question, got replies and two broadcasts. */
  async function residentWithHistory(phone: E164, question: string): Promise<{ sids: string[] }> {
    const replies = new RecordingQueue<ReplySendJob>();
    const inbound = { stores, clock, ids: new SequentialIds('in'), replies, settings: anInboundSettings() };
    const sids = [aMessageSid(), aMessageSid(), aMessageSid()];
    await handleInboundText(inbound, anInboundText({ from: phone, body: 'JOIN TRAFFIC', providerMessageId: sids[0] }));
    await handleInboundText(inbound, anInboundText({ from: phone, body: 'PARKS', providerMessageId: sids[1] }));
    await handleInboundText(inbound, anInboundText({ from: phone, body: question, providerMessageId: sids[2] }));
    // What the sender would have recorded: each reply, and one message per broadcast.
    for (const job of replies.sent) await stores.messages.claim(aMessageRecord({ messageId: job.messageId, broadcastId: undefined, to: phone }));
    for (const [broadcastId, topic] of [
      ['01jerasebroadcast000000000a', 'traffic'],
      ['01jerasebroadcast000000000b', 'parks'],
    ] as const) {
      await stores.broadcasts.create(aBroadcast({ id: broadcastId, topics: [topic] })).catch(() => undefined);
      await stores.messages.claim(aMessageRecord({ messageId: broadcastMessageId(broadcastId, phone), broadcastId, to: phone }));
    }
    return { sids };
  }

  async function everything(): Promise<Record<string, unknown>[]> {
    const { Items = [] } = await table.documents.send(new ScanCommand({ TableName: table.tableName }));
    return Items;
  }

  it('leaves neither the number nor the texts anywhere: profile, consent, inbound log, inbox, messages', async () => {
    // Prepare
    const phone = aPhone(601);
    const bystander = aPhone(602);
    const { sids } = await residentWithHistory(phone, 'Is the A470 open at Storey Arms tonight?');
    await residentWithHistory(bystander, 'Bins missed on Heol y Nant');

    // Act
    await eraseSubscriber(deps(), operator, phone);

    // Assess
    const items = await everything();
    expect(JSON.stringify(items)).not.toContain(phone.slice(1));
    expect(JSON.stringify(items)).not.toContain('Storey Arms');
    expect(JSON.stringify(items)).toContain(bystander.slice(1));
    expect(JSON.stringify(items)).toContain('Heol y Nant');
    // The tombstone and the audit record name the number by its keyed hash: a bare SHA-256 of it,
    // which anyone can compute for every UK mobile number, appears nowhere.
    const keyed = keyedPhoneHash(TEST_PHONE_HASH_KEY, phone);
    expect(items).toContainEqual(expect.objectContaining({ pk: `ERASED#${keyed}`, sk: 'TOMBSTONE', erasedBy: 'key-operator' }));
    expect(items).toContainEqual(expect.objectContaining({ type: 'audit', action: 'subscriber.erase', target: { type: 'subscriber', id: `hmac-sha256:${keyed}` } }));
    expect(JSON.stringify(items)).not.toContain(legacyPhoneHash(phone));
    await expect(getSubscriber(deps(), operator, phone)).rejects.toBeInstanceOf(NotFoundError);
    // The inbound log still answers the provider's retry as a duplicate; the inbox entry keeps its place.
    expect(await stores.inbound.begin('sandbox', sids[2]!, { from: phone, channel: 'sms', body: 'again', at: clock.now().toISOString() })).toEqual(
      expect.objectContaining({ state: 'done' }),
    );
    expect(await stores.inbox.get(inboxEntryId('sandbox', sids[2]!))).toEqual(expect.objectContaining({ from: ERASED, body: ERASED }));
    expect(await stores.topics.subscriberCount('traffic')).toBe(1);
  });

  it('finishes on a retry after a crash part-way, and a third attempt finds nothing', async () => {
    // Prepare
    const phone = aPhone(603);
    await residentWithHistory(phone, 'Who do I call about the flooding on Lon Isaf?');
    const crashing = dynamoStores(
      failingWhen(table.documents, (command) => command.constructor.name === 'UpdateCommand' && partitionOf(command).startsWith('INBOX')),
      table.tableName,
      SHARDS,
      { phoneHash: testPhoneHasher },
    );

    // Act
    const crashed = await eraseSubscriber({ ...deps(), stores: crashing }, operator, phone).catch((error: unknown) => error);
    const leftAfterCrash = JSON.stringify(await everything());
    await eraseSubscriber(deps(), operator, phone);
    const again = await eraseSubscriber(deps(), operator, phone).catch((error: unknown) => error);

    // Assess
    expect(crashed).toEqual(new Error('simulated crash'));
    expect(leftAfterCrash).toContain(`SUB#${phone}`);
    const items = JSON.stringify(await everything());
    expect(items).not.toContain(phone.slice(1));
    expect(items).not.toContain('Lon Isaf');
    expect(again).toBeInstanceOf(NotFoundError);
  });
});
