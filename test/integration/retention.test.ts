import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { dynamoStores } from '../../shared/adapters/dynamo/stores.js';
import { RecordingSandboxProvider } from '../../shared/adapters/providers/sandbox/recording-adapter.js';
import type { Stores } from '../../shared/ports/stores.js';
import type { RetentionPeriods } from '../../shared/retention/periods.js';
import { aMessageRecord, aPhone, anInboxEntry, inboundEvidence } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';
import { testPhoneHasher } from '../support/phone-hash.js';

const DAY = 86_400;
const AT = '2026-02-02T10:00:00.000Z';
const LATER = '2026-03-15T16:45:00.000Z';
const seconds = (iso: string) => Date.parse(iso) / 1000;

/** Not the defaults, and each its own, so an item stamped from the wrong period shows. */
const periods: RetentionPeriods = { messagesDays: 31, inboundDays: 41, inboxDays: 51, consentDays: 701, auditDays: 2001 };

describe('every record that holds a number or a text is written with the TTL the retention schedule gives it', () => {
  let table: TestTable;
  let stores: Stores;
  let nextPhone = 300;
  const newPhone = () => aPhone(nextPhone++);

  const item = async (key: { pk: string; sk: string }) =>
    (await table.documents.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;
  const ttlOf = async (key: { pk: string; sk: string }) => (await item(key))?.expiresAt;
  const partition = async (phone: string) =>
    (
      await table.documents.send(
        new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.subscriberPartition(phone) }, ConsistentRead: true }),
      )
    ).Items ?? [];
  /** The profile and consent events: what the resident-record rule covers. */
  const residentRecord = async (phone: string) => (await partition(phone)).filter((i) => i.sk === 'PROFILE' || String(i.sk).startsWith('CONSENT#'));

  beforeAll(async () => {
    table = await freshTable('crier-retention');
    stores = dynamoStores(table.documents, table.tableName, 4, { retention: periods, phoneHash: testPhoneHasher });
  });

  it('a message record, claimed: its claim time plus the messages period', async () => {
    // Prepare
    const record = aMessageRecord({ messageId: 'retention-claimed', createdAt: AT, updatedAt: AT });

    // Act
    await stores.messages.claim(structuredClone(record));

    // Assess
    expect(await ttlOf(keys.message(record.messageId))).toBe(seconds(AT) + 31 * DAY);
    expect(await stores.messages.get(record.messageId)).toEqual(record);
  });

  it('a message record written without a claim (a skip): the same', async () => {
    // Prepare
    const record = aMessageRecord({ messageId: 'retention-skipped', status: 'skipped', skipReason: 'opted_out', createdAt: AT, updatedAt: AT });

    // Act
    await stores.messages.recordOnce(structuredClone(record));

    // Assess
    expect(await ttlOf(keys.message(record.messageId))).toBe(seconds(AT) + 31 * DAY);
  });

  it("an inbound text: its arrival plus the inbound period; the sender's reference outlives text, inbox entry and reply", async () => {
    // Prepare
    const from = newPhone();

    // Act
    await stores.inbound.begin('sandbox', 'SM-retention-1', { from, channel: 'sms', body: 'My son is 14, can he join?', at: AT });

    // Assess
    expect(await ttlOf(keys.inbound('sandbox', 'SM-retention-1'))).toBe(seconds(AT) + 41 * DAY);
    expect(await ttlOf(keys.inboundBySender(from, 'sandbox', 'SM-retention-1'))).toBe(seconds(AT) + (51 + 15) * DAY);
  });

  it('an unhandled inbox entry and its id item: its arrival plus the inbox period', async () => {
    // Prepare
    const entry = anInboxEntry({ department: 'retention-unhandled', receivedAt: AT, from: newPhone() });

    // Act
    await stores.inbox.add(structuredClone(entry));

    // Assess
    expect(await ttlOf(keys.inboxEntry(entry.department, AT, entry.id))).toBe(seconds(AT) + 51 * DAY);
    expect(await ttlOf(keys.inboxEntryById(entry.id))).toBe(seconds(AT) + 51 * DAY);
  });

  it('a handled inbox entry: its handling plus the inbox period, and what points to it no earlier', async () => {
    // Prepare
    const from = newPhone();
    await stores.inbound.begin('sandbox', 'SM-retention-2', { from, channel: 'sms', body: 'Bins not collected', at: AT });
    const entry = anInboxEntry({ department: 'retention-handled', providerMessageId: 'SM-retention-2', receivedAt: AT, from });
    await stores.inbox.add(structuredClone(entry));

    // Act
    await stores.inbox.markHandled(entry.id, 'key-operator', LATER);

    // Assess
    expect(await ttlOf(keys.inboxEntry(entry.department, AT, entry.id))).toBe(seconds(LATER) + 51 * DAY);
    expect(await ttlOf(keys.inboxEntryById(entry.id))).toBe(seconds(LATER) + 51 * DAY);
    expect(await ttlOf(keys.inboundBySender(from, 'sandbox', 'SM-retention-2'))).toBe(seconds(LATER) + (51 + 15) * DAY);
  });

  it('an audit record: its time plus the audit period', async () => {
    // Prepare
    const entry = {
      id: 'audit-retention',
      at: AT,
      actor: { keyId: 'key-operator', name: 'Operator', role: 'operator' as const, department: '*' },
      action: 'key.create' as const,
      target: { type: 'key' as const, id: 'key-new' },
      before: undefined,
      after: { name: 'new key' },
    };

    // Act
    await stores.audit.record(structuredClone(entry));

    // Assess
    expect(await ttlOf(keys.auditEntry(AT, entry.id))).toBe(seconds(AT) + 2001 * DAY);
  });

  it("a subscribed resident's profile and consent ledger: no TTL, they are the evidence crier messages them on", async () => {
    // Prepare
    const phone = newPhone();
    await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence({ text: 'JOIN TRAFFIC' }));
    await stores.subscribers.updateProfile(phone, 'sms', { area: 'CF10' }, AT, inboundEvidence({ text: 'AREA CF10' }));

    // Act
    await stores.subscribers.settleRetention(phone, AT);

    // Assess
    const record = await residentRecord(phone);
    expect(record.map((i) => i.sk)).toContain('PROFILE');
    expect(record.filter((i) => String(i.sk).startsWith('CONSENT#'))).toHaveLength(2);
    expect(record.filter((i) => i.expiresAt !== undefined)).toEqual([]);
  });

  it("an opted-out resident's profile and consent ledger: the opt-out plus the consent period", async () => {
    // Prepare
    const phone = newPhone();
    await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence({ text: 'JOIN TRAFFIC' }));
    await stores.subscribers.settleRetention(phone, AT);
    await stores.subscribers.optOut(phone, 'sms', LATER, inboundEvidence({ text: 'STOP' }));

    // Act
    await stores.subscribers.settleRetention(phone, LATER);

    // Assess
    const record = await residentRecord(phone);
    expect(record.length).toBeGreaterThanOrEqual(3);
    expect(new Set(record.map((i) => i.expiresAt))).toEqual(new Set([seconds(LATER) + 701 * DAY]));
  });

  it('a resident who joins again is kept again: the stamps are lifted', async () => {
    // Prepare
    const phone = newPhone();
    await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence({ text: 'JOIN TRAFFIC' }));
    await stores.subscribers.optOut(phone, 'sms', AT, inboundEvidence({ text: 'STOP' }));
    await stores.subscribers.settleRetention(phone, AT);
    await stores.subscribers.subscribe(phone, 'whatsapp', 'traffic', LATER, inboundEvidence({ text: 'JOIN TRAFFIC' }));

    // Act
    await stores.subscribers.settleRetention(phone, LATER);

    // Assess
    const record = await residentRecord(phone);
    expect(record.length).toBeGreaterThanOrEqual(4);
    expect(record.filter((i) => i.expiresAt !== undefined)).toEqual([]);
  });

  it("a resident who only ever texted (no subscription): their record counts down from the last text, never back", async () => {
    // Prepare
    const phone = newPhone();
    await stores.subscribers.claimDailyAcknowledgement(phone, LATER.slice(0, 10), LATER);
    await stores.subscribers.settleRetention(phone, LATER);

    // Act: a provider's late retry of an older text settles with its older time
    await stores.subscribers.settleRetention(phone, AT);

    // Assess
    expect(await ttlOf(keys.profile(phone))).toBe(seconds(LATER) + 701 * DAY);
  });

  it("a deployed sandbox's message: a week", async () => {
    // Prepare
    const sandbox = new RecordingSandboxProvider(table.documents, table.tableName, () => new Date(AT));

    // Act
    await sandbox.sendText({ messageId: 'retention-sandbox', to: newPhone(), channel: 'sms', body: 'Test broadcast', statusCallbackUrl: 'http://localhost/webhooks/status' });

    // Assess
    expect(await ttlOf(keys.sandboxMessage(AT, 'retention-sandbox'))).toBe(seconds(AT) + 7 * DAY);
  });

  it('an erasure tombstone: no TTL, so an import never brings the number back', async () => {
    // Prepare
    const phone = newPhone();
    await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());

    // Act
    await stores.subscribers.erase(phone, LATER, 'key-operator');

    // Assess
    const { Items: tombstones = [] } = await table.documents.send(
      new ScanCommand({ TableName: table.tableName, FilterExpression: '#type = :tombstone', ExpressionAttributeNames: { '#type': 'type' }, ExpressionAttributeValues: { ':tombstone': 'tombstone' } }),
    );
    expect(tombstones).toHaveLength(1);
    expect(tombstones[0]).not.toHaveProperty('expiresAt');
    expect(await stores.subscribers.erasedAmong([phone])).toEqual(new Set([phone]));
  });
});
