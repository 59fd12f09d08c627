import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { DynamoProviderHealthStore } from '../../shared/adapters/dynamo/provider-health-store.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

const AT = '2025-03-01T09:00:00.000Z';
const WINDOW = Date.parse(AT) / 1000;

/** What the port promises is in sending/provider-health-store.contract.ts, run against this store and the in-memory one; here, the items it keeps. */
describe('DynamoProviderHealthStore against dynalite', () => {
  let table: TestTable;
  let store: DynamoProviderHealthStore;

  beforeEach(async () => {
    // A table per test: the route and counters are per channel, and each test starts from none.
    table = await freshTable('crier-health');
    store = new DynamoProviderHealthStore(table.documents, table.tableName);
  });

  it('counts failures into one item per provider, channel and window, which expires after the window after next', async () => {
    // Act
    await Promise.all(Array.from({ length: 3 }, () => store.countFailure('sms', 'twilio', WINDOW, 60)));

    // Assess
    const { Item } = await table.documents.send(new GetCommand({ TableName: table.tableName, Key: keys.providerFailures('sms', 'twilio', WINDOW) }));
    expect(Item?.count).toBe(3);
    expect(Item?.expiresAt).toBe(WINDOW + 180);
  });
});
