import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/dynamo/keys.js';
import { DynamoStaffStore } from '../../../shared/adapters/dynamo/staff-store.js';
import { ConflictError } from '../../../shared/domain/errors.js';
import { freshTable, type TestTable } from '../../support/dynamo-table.js';
import { aMember, staffStoreContract } from './staff-store.contract.js';

/** The DynamoDB store, on a fresh table in the run's dynalite for each case, held to the staff store's contract. */
staffStoreContract('DynamoStaffStore', async () => {
  const table = await freshTable('crier-staff');
  return new DynamoStaffStore(table.documents, table.tableName);
});

describe('DynamoStaffStore, stopped part-way', () => {
  let table: TestTable;
  let store: DynamoStaffStore;

  beforeEach(async () => {
    table = await freshTable('crier-staff');
    store = new DynamoStaffStore(table.documents, table.tableName);
  });

  const claimOf = (email: string, staffId: string, claimedAt: string) =>
    table.documents.send(
      new PutCommand({ TableName: table.tableName, Item: { ...keys.staffEmail(email), type: 'staffClaim', staffId, claimedAt } }),
    );

  it('a create that stopped after its claim finds nobody, and a replay completes it', async () => {
    // Prepare: the email claim only, as a crash between the writes would leave it
    const record = aMember();
    await claimOf(record.email, record.id, record.createdAt);
    const halfway = await store.findByEmail(record.email);

    // Act
    await store.create(record);

    // Assess
    expect(halfway).toBeUndefined();
    expect(await store.findByEmail(record.email)).toEqual(record);
  });

  it('a claim abandoned by a create long stopped is taken over; a recent one is not', async () => {
    // Prepare
    await claimOf('old@council.gov.uk', 'abandoned-id', '2026-12-01T08:00:00.000Z');
    await claimOf('new@council.gov.uk', 'in-flight-id', '2026-12-01T08:59:59.000Z');

    // Act
    await store.create(aMember({ email: 'old@council.gov.uk' }));
    // Settled before anything else is awaited: a rejection nobody is waiting for yet is an unhandled one.
    const recent = await store.create(aMember({ id: '01jstaff000000000000000002', email: 'new@council.gov.uk' })).then(
      () => 'created',
      (error: unknown) => error,
    );

    // Assess
    expect((await store.findByEmail('old@council.gov.uk'))?.id).toBe('01jstaff000000000000000001');
    expect(recent).toBeInstanceOf(ConflictError);
  });

  it('a create refused over its subject gives its email claim back', async () => {
    // Prepare
    await store.create(aMember({ subject: 'idp|ana' }));

    // Act
    await expect(store.create(aMember({ id: '01jstaff000000000000000002', email: 'bo@council.gov.uk', subject: 'idp|ana' }))).rejects.toThrow(
      ConflictError,
    );

    // Assess
    const { Item } = await table.documents.send(new GetCommand({ TableName: table.tableName, Key: keys.staffEmail('bo@council.gov.uk') }));
    expect(Item).toBeUndefined();
  });
});
