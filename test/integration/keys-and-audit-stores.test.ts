import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoApiKeyStore } from '../../shared/adapters/dynamo/api-key-store.js';
import { DynamoAuditLog } from '../../shared/adapters/dynamo/audit-log.js';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';
import { aKey, anEntry } from './staff/keys-and-audit.contract.js';

/** What the ports promise is in staff/keys-and-audit.contract.ts, run against these stores and the in-memory ones; here, the items they keep. */
describe('DynamoApiKeyStore', () => {
  let table: TestTable;
  let store: DynamoApiKeyStore;

  beforeEach(async () => {
    table = await freshTable('crier-keys');
    store = new DynamoApiKeyStore(table.documents, table.tableName);
  });

  it('reads a key stored before test mode existed as a live key', async () => {
    // Prepare
    const { mode: _mode, ...old } = aKey();
    await table.documents.send(new PutCommand({ TableName: table.tableName, Item: { ...keys.apiKey('old-hash'), ...old } }));

    // Act
    const found = await store.findByHash('old-hash');

    // Assess
    expect(found?.mode).toBe('live');
  });

  it('a create that stopped after its first write leaves a key that does not authenticate, and a replay completes it', async () => {
    // Prepare: the id item only, as a crash between the two writes would leave it
    const record = aKey();
    await table.documents.send(
      new PutCommand({ TableName: table.tableName, Item: { ...keys.apiKeyById(record.keyId), ...record, hash: 'hash-2' } }),
    );
    const halfway = await store.findByHash('hash-2');

    // Act
    await store.create('hash-2', record);

    // Assess
    expect(halfway).toBeUndefined();
    expect(await store.findByHash('hash-2')).toEqual(record);
  });


});

describe('DynamoAuditLog', () => {
  let table: TestTable;
  let log: DynamoAuditLog;

  beforeEach(async () => {
    table = await freshTable('crier-audit');
    log = new DynamoAuditLog(table.documents, table.tableName);
  });

  it('writes each record in its day partition, sorted by time', async () => {
    // Prepare
    const entry = anEntry('2025-03-01T23:59:00.000Z', 'a1', { before: { status: 'sending' }, after: { status: 'cancelled' } });

    // Act
    await log.record(entry);

    // Assess
    const { Item } = await table.documents.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: 'AUDIT#2025-03-01', sk: '2025-03-01T23:59:00.000Z#a1' } }),
    );
    expect(Item).toMatchObject({ before: { status: 'sending' }, after: { status: 'cancelled' } });
  });


});
