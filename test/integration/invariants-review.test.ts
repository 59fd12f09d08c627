import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoInboundLog } from '../../shared/adapters/dynamo/inbound-log.js';
import { aMessageSid, aPhone } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

const at = (seconds: number) => new Date(Date.parse('2025-03-01T09:00:00.000Z') + seconds * 1000).toISOString();
const record = (seconds: number) => ({ from: aPhone(101), channel: 'sms' as const, body: 'STOP', at: at(seconds) });

describe('invariants review: DynamoInboundLog.release', () => {
  let table: TestTable;
  let log: DynamoInboundLog;

  beforeAll(async () => {
    table = await freshTable('crier-review-inbound');
    log = new DynamoInboundLog(table.documents, table.tableName);
  });

  it('gives back a failed attempt’s claim, so an immediate retry is new', async () => {
    // Prepare
    const sid = aMessageSid();
    await log.begin('twilio', sid, record(0));

    // Act
    await log.release('twilio', sid, at(0));

    // Assess
    expect(await log.begin('twilio', sid, record(2))).toEqual({ state: 'new' });
  });

  it('leaves a finished entry, and a claim a later attempt took over, alone', async () => {
    // Prepare
    const done = aMessageSid();
    await log.begin('twilio', done, record(0));
    await log.finish('twilio', done, undefined);
    const takenOver = aMessageSid();
    await log.begin('twilio', takenOver, record(0));
    await log.begin('twilio', takenOver, record(120));

    // Act
    await log.release('twilio', done, at(0));
    await log.release('twilio', takenOver, at(0));

    // Assess
    expect(await log.begin('twilio', done, record(121))).toEqual({ state: 'done', replyMessageId: undefined });
    expect(await log.begin('twilio', takenOver, record(121))).toEqual({ state: 'in-progress' });
  });
});
