import { beforeAll, describe, expect, it } from 'vitest';
import { listSandboxMessages, RecordingSandboxProvider } from '../../shared/adapters/providers/sandbox/recording-adapter.js';
import { toE164 } from '../../shared/domain/phone.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

const DAY = '2025-03-01';
const to = toE164('+447700900123', 'GB')!;

describe('the deployed sandbox (test keys in AWS)', () => {
  let table: TestTable;

  beforeAll(async () => {
    table = await freshTable('crier-recording-sandbox');
  });

  it('records each message, template included, and gives it back newest first, a page at a time', async () => {
    // Prepare
    let minute = 0;
    const sandbox = new RecordingSandboxProvider(table.documents, table.tableName, () => new Date(`${DAY}T09:0${minute++}:00.000Z`));
    const send = (messageId: string, template?: { name: string; language: string; parameters: string[] }) =>
      sandbox.sendText({ messageId, to, channel: template ? 'whatsapp' : 'sms', body: `test ${messageId}`, template, statusCallbackUrl: 'https://x.example/status' });

    // Act
    const accepted = [await send('m1'), await send('m2'), await send('m3', { name: 'road_closure', language: 'en_GB', parameters: ['CF10'] })];
    const first = await listSandboxMessages(table.documents, table.tableName, { day: DAY, limit: 2, cursor: undefined });
    const second = await listSandboxMessages(table.documents, table.tableName, { day: DAY, limit: 2, cursor: first.cursor });

    // Assess
    expect(accepted).toEqual([
      { provider: 'sandbox', providerMessageId: 'SBXm1' },
      { provider: 'sandbox', providerMessageId: 'SBXm2' },
      { provider: 'sandbox', providerMessageId: 'SBXm3' },
    ]);
    expect(first.items.map((message) => message.messageId)).toEqual(['m3', 'm2']);
    expect(first.items[0]).toMatchObject({ to: '+447700900123', channel: 'whatsapp', template: { name: 'road_closure', parameters: ['CF10'] } });
    expect(second.items.map((message) => message.messageId)).toEqual(['m1']);
    expect(second.cursor).toBeUndefined();
  });

  it('refuses a cursor it did not give', async () => {
    // Prepare
    const cursor = Buffer.from('not-a-sort-key').toString('base64url');

    // Act
    const attempt = listSandboxMessages(table.documents, table.tableName, { day: DAY, limit: 2, cursor });

    // Assess
    await expect(attempt).rejects.toMatchObject({ details: [{ field: 'cursor', message: 'is not a cursor this listing gave' }] });
  });
});
