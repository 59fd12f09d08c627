import { beforeAll, describe, expect, it } from 'vitest';
import { listSandboxMessages, RecordingSandboxProvider } from '../../shared/adapters/providers/sandbox/recording-adapter.js';
import type { MessageOrigin } from '../../shared/ports/messaging-provider.js';
import type { Principal } from '../../shared/domain/model.js';
import { toE164 } from '../../shared/domain/phone.js';
import { listSandboxOutbox } from '../../shared/sending/sandbox-outbox.js';
import { aPrincipal } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../support/in-memory-stores.js';

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

  it('gives no cursor when a page holds exactly the records left', async () => {
    // Prepare
    const day = '2025-03-03';
    let minute = 0;
    const sandbox = new RecordingSandboxProvider(table.documents, table.tableName, () => new Date(`${day}T09:0${minute++}:00.000Z`));
    for (const messageId of ['e1', 'e2']) await sandbox.sendText({ messageId, to, channel: 'sms', body: `test ${messageId}`, statusCallbackUrl: 'https://x.example/status' });

    // Act
    const page = await listSandboxMessages(table.documents, table.tableName, { day, limit: 2, cursor: undefined });

    // Assess: no "next" that leads to an empty page.
    expect(page.items.map((message) => message.messageId)).toEqual(['e2', 'e1']);
    expect(page.cursor).toBeUndefined();
  });

  it('refuses a cursor it did not give', async () => {
    // Prepare
    const cursor = Buffer.from('not-a-sort-key').toString('base64url');

    // Act
    const attempt = listSandboxMessages(table.documents, table.tableName, { day: DAY, limit: 2, cursor });

    // Assess
    await expect(attempt).rejects.toMatchObject({ details: [{ field: 'cursor', message: 'is not a cursor this listing gave' }] });
  });

  describe("each key sees its own department's messages; a test key test messages only, numbers masked", () => {
    const roadsTest: MessageOrigin = { broadcastId: 'bc-roads-test', department: 'roads', mode: 'test' };
    const roadsLive: MessageOrigin = { broadcastId: 'bc-roads-live', department: 'roads', mode: 'live' };
    const youthTest: MessageOrigin = { broadcastId: 'bc-youth-test', department: 'youth', mode: 'test' };
    const bothTest: MessageOrigin = { broadcastId: 'bc-both-test', department: 'roads,youth', mode: 'test' };
    const day = '2025-03-02';
    let scoped: TestTable;

    beforeAll(async () => {
      scoped = await freshTable('crier-sandbox-scope');
      let second = 0;
      const sandbox = new RecordingSandboxProvider(scoped.documents, scoped.tableName, () => new Date(Date.parse(`${day}T09:00:00.000Z`) + 1000 * second++));
      const sends: Array<[string, MessageOrigin | undefined]> = [
        ['roads-test', roadsTest],
        ['roads-live', roadsLive],
        ['youth-test', youthTest],
        ['both-test', bothTest],
        // A reply to a resident, where the sandbox is the live provider: no broadcast, no department.
        ['reply', undefined],
      ];
      for (const [messageId, origin] of sends) {
        const id = origin ? `${origin.broadcastId}-447700900123` : messageId;
        await sandbox.sendText({ messageId: id, to, channel: 'sms', body: `text ${messageId}`, statusCallbackUrl: 'https://x.example/status', ...(origin ? { origin } : {}) });
      }
    });

    const outboxOf = async (principal: Principal) => {
      const deps = {
        stores: inMemoryStores(),
        clock: new FixedClock(`${day}T12:00:00.000Z`),
        ids: new SequentialIds(),
        sandboxOutbox: (query: Parameters<typeof listSandboxMessages>[2]) => listSandboxMessages(scoped.documents, scoped.tableName, query),
      };
      return (await listSandboxOutbox(deps, principal, { limit: 50 })).items;
    };

    it.each([
      ['a live operator', aPrincipal({ role: 'operator', department: '*' }), ['reply', 'bc-both-test', 'bc-youth-test', 'bc-roads-live', 'bc-roads-test']],
      ['a test operator', aPrincipal({ role: 'operator', department: '*', mode: 'test' }), ['bc-both-test', 'bc-youth-test', 'bc-roads-test']],
      ['a live roads viewer', aPrincipal({ role: 'viewer', department: 'roads' }), ['bc-roads-live', 'bc-roads-test']],
      ['a test roads sender', aPrincipal({ role: 'sender', department: 'roads', mode: 'test' }), ['bc-roads-test']],
      ['a test youth approver', aPrincipal({ role: 'approver', department: 'youth', mode: 'test' }), ['bc-youth-test']],
    ] as const)('%s', async (_who, principal, expected) => {
      // Prepare: the records written above

      // Act
      const messages = await outboxOf(principal);

      // Assess
      expect(messages.map((message) => message.broadcastId ?? message.messageId)).toEqual(expected);
    });

    it("masks a live resident's number wherever it appears for a test key, and only for one", async () => {
      // Prepare: the records written above

      // Act
      const [asTest] = await outboxOf(aPrincipal({ role: 'sender', department: 'roads', mode: 'test' }));
      const [asLive] = (await outboxOf(aPrincipal({ role: 'sender', department: 'roads' }))).filter((message) => message.mode === 'test');

      // Assess
      expect(asTest).toMatchObject({ to: '+44xxxxxxx123', messageId: 'bc-roads-test-44xxxxxxx123', id: 'SBXbc-roads-test-44xxxxxxx123', department: 'roads', mode: 'test' });
      expect(JSON.stringify(asTest)).not.toContain('7700900');
      expect(asLive).toMatchObject({ to: '+447700900123', messageId: 'bc-roads-test-447700900123' });
    });

    it('pages on past records the filter leaves out', async () => {
      // Prepare
      const query = { day, limit: 1, cursor: undefined, department: 'youth', mode: 'test' as const };

      // Act
      const first = await listSandboxMessages(scoped.documents, scoped.tableName, query);
      const pages = [first];
      while (pages.at(-1)!.cursor) pages.push(await listSandboxMessages(scoped.documents, scoped.tableName, { ...query, cursor: pages.at(-1)!.cursor }));

      // Assess: the newest record (the reply) is not youth's, so the first page is empty yet leads on
      expect(first.items).toEqual([]);
      expect(pages.flatMap((page) => page.items.map((message) => message.broadcastId))).toEqual(['bc-youth-test']);
    });
  });
});
