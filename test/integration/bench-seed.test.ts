import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { population } from '../../bench/population.js';
import { seedResidents } from '../../bench/seed.js';
import type { SeedMode } from '../../bench/seed-report.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

/**
 * The bench's two ways of seeding residents (store, batch) on dynalite: batch mode passes its own
 * check against the store (else it would fall back and say why), and both leave the same
 * subscriptions behind, so the bench's figures do not depend on the mode.
 */

const RESIDENTS = 40;
const SHARDS = 2;

async function subscriptionsIn(table: TestTable, phone: string): Promise<string[]> {
  const { Items } = await table.documents.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.subscriberPartition(phone), ':prefix': 'TOPIC#' },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map((item) => String(item.sk)).sort();
}

describe.each<SeedMode>(['store', 'batch'])('bench seeding in %s mode', (mode) => {
  it('writes every resident of the population, with their subscriptions', async () => {
    // Prepare
    const table = await freshTable(`crier-bench-seed-${mode}`);
    const residents = population(RESIDENTS);
    const lines: string[] = [];

    // Act
    const result = await seedResidents(table.documents, table.tableName, SHARDS, residents, { mode, concurrency: 4, log: (line) => lines.push(line) });

    // Assess
    expect(result).toMatchObject({ mode, residents: RESIDENTS, subscriptions: residents.reduce((sum, resident) => sum + resident.topics.length, 0) });
    expect(result.parityProblem).toBeUndefined();
    for (const resident of residents.slice(0, 5)) {
      expect(await subscriptionsIn(table, resident.phone)).toEqual(resident.topics.map((topicId) => keys.subscription(resident.phone, resident.channel, topicId).sk).sort());
    }
  });
});
