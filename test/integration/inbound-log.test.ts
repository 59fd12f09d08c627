import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoInboundLog } from '../../shared/adapters/dynamo/inbound-log.js';
import { aMessageSid } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

const at = (seconds: number) => new Date(Date.parse('2025-03-01T09:00:00.000Z') + seconds * 1000).toISOString();

/** What the port promises is in inbound/inbound-log.contract.ts, run against this log and the in-memory one; here, the items it keeps. */
describe('DynamoInboundLog', () => {
  let table: TestTable;
  let log: DynamoInboundLog;

  beforeAll(async () => {
    table = await freshTable('crier-inbound');
    log = new DynamoInboundLog(table.documents, table.tableName);
  });

  it('records a skipped item to expire when asked', async () => {
    // Prepare
    const id = `wamid.${aMessageSid()}`;
    const skipped = { provider: 'whatsapp-cloud', itemId: id, kind: 'message' as const, path: 'entry.0.changes.0.value.messages.0', reason: 'a reaction', at: at(0) };
    const expiresAt = new Date('2025-05-30T09:00:00.000Z');

    // Act
    await log.recordSkipped(skipped, expiresAt);

    // Assess
    const { Item } = await table.documents.send(new GetCommand({ TableName: table.tableName, Key: { pk: `SKIPPED#whatsapp-cloud#${id}`, sk: 'SKIPPED' } }));
    expect(Item?.expiresAt).toBe(expiresAt.getTime() / 1000);
  });
});
