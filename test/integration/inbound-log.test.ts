import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoInboundLog } from '../../shared/adapters/dynamo/inbound-log.js';
import { aMessageSid, aPhone } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

const at = (seconds: number) => new Date(Date.parse('2025-03-01T09:00:00.000Z') + seconds * 1000).toISOString();
const record = (seconds: number) => ({ from: aPhone(101), channel: 'sms' as const, body: 'JOIN TRAFFIC', at: at(seconds) });

describe('DynamoInboundLog', () => {
  let table: TestTable;
  let log: DynamoInboundLog;

  beforeAll(async () => {
    table = await freshTable('crier-inbound');
    log = new DynamoInboundLog(table.documents, table.tableName);
  });

  it('moves a message from new to in progress to done, keeping the reply id', async () => {
    // Prepare
    const sid = aMessageSid();

    // Act
    const first = await log.begin('twilio', sid, record(0));
    const whileWorking = await log.begin('twilio', sid, record(1));
    await log.finish('twilio', sid, `reply-twilio-${sid}`);
    const afterwards = await log.begin('twilio', sid, record(2));

    // Assess
    expect(first).toEqual({ state: 'new' });
    expect(whileWorking).toEqual({ state: 'in-progress' });
    expect(afterwards).toEqual({ state: 'done', replyMessageId: `reply-twilio-${sid}` });
  });

  it('remembers a message that needed no reply', async () => {
    // Prepare
    const sid = aMessageSid();
    await log.begin('twilio', sid, record(0));

    // Act
    await log.finish('twilio', sid, undefined);

    // Assess
    expect(await log.begin('twilio', sid, record(1))).toEqual({ state: 'done', replyMessageId: undefined });
  });

  it('lets only one of many simultaneous deliveries of a message through', async () => {
    // Prepare
    const sid = aMessageSid();

    // Act
    const entries = await Promise.all(Array.from({ length: 8 }, () => log.begin('twilio', sid, record(0))));

    // Assess
    expect(entries.filter((entry) => entry.state === 'new')).toHaveLength(1);
    expect(entries.filter((entry) => entry.state === 'in-progress')).toHaveLength(7);
  });

  it.each([
    [59, { state: 'in-progress' }],
    [61, { state: 'new' }],
  ])('after %i s, a claim still in progress is %o to a retry', async (seconds, expected) => {
    // Prepare
    const sid = aMessageSid();
    await log.begin('twilio', sid, record(0));

    // Act
    const retry = await log.begin('twilio', sid, record(seconds));

    // Assess
    expect(retry).toEqual(expected);
  });

  it('never takes over a message that was done, however old', async () => {
    // Prepare
    const sid = aMessageSid();
    await log.begin('twilio', sid, record(0));
    await log.finish('twilio', sid, undefined);

    // Act
    const retry = await log.begin('twilio', sid, record(86_400));

    // Assess
    expect(retry).toEqual({ state: 'done', replyMessageId: undefined });
  });

  it('keeps the same message id from two providers apart', async () => {
    // Prepare
    const sid = aMessageSid();
    await log.begin('twilio', sid, record(0));

    // Act
    const other = await log.begin('sandbox', sid, record(0));

    // Assess
    expect(other).toEqual({ state: 'new' });
  });

  it('records a skipped item with its reason, apart from inbound messages, rewriting it on a retry and expiring it', async () => {
    // Prepare
    const id = `wamid.${aMessageSid()}`;
    const skipped = { provider: 'whatsapp-cloud', itemId: id, kind: 'message' as const, path: 'entry.0.changes.0.value.messages.0', reason: 'a reaction', at: at(0) };
    const expiresAt = new Date('2025-05-30T09:00:00.000Z');

    // Act
    await log.recordSkipped(skipped, expiresAt);
    await log.recordSkipped({ ...skipped, at: at(5) }, expiresAt);
    const claim = await log.begin('whatsapp-cloud', id, record(0));

    // Assess
    expect(await log.skippedItem('whatsapp-cloud', id)).toEqual({ ...skipped, at: at(5) });
    expect(await log.skippedItem('whatsapp-cloud', `${id}-never`)).toBeUndefined();
    expect(claim).toEqual({ state: 'new' });
    const { Item } = await table.documents.send(new GetCommand({ TableName: table.tableName, Key: { pk: `SKIPPED#whatsapp-cloud#${id}`, sk: 'SKIPPED' } }));
    expect(Item?.expiresAt).toBe(expiresAt.getTime() / 1000);
  });
});
