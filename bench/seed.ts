import { seedInBatches } from './seed-batch.js';
import { batchParityProblem } from './seed-parity.js';
import type { Seeder } from './seed-report.js';
import { seedThroughStore } from './seed-store.js';

/**
 * Writes the benchmark's residents (population.ts). Seeded through `DynamoSubscriberStore` itself,
 * so the items are exactly those a resident's JOIN writes (consent record, profile, index entry,
 * subscription, shard count), without going through 50,000 signed webhooks.
 *
 * Two ways to write them:
 * - `store` (seed-store.ts): `DynamoSubscriberStore.subscribe` and `updateProfile` for every
 *   resident, 64 residents at a time. Exact by construction, but about a dozen SDK requests a
 *   resident, and the local stack (one Node process for dynalite, SQS and every function) manages
 *   a few hundred a second.
 * - `batch` (seed-batch.ts): the same items written 25 to a BatchWriteItem, with each shard's count
 *   written once. Before it is used, a handful of residents are written both ways and their items
 *   compared field by field with the phone number masked (seed-parity.ts); any difference aborts
 *   batch mode in favour of the store (and prints it), so the batch layout cannot silently drift
 *   from the store's.
 */

/** Seeds the residents (see the two modes above) and reports the rate. */
export const seedResidents: Seeder = async (documents, tableName, shards, residents, options) => {
  if (options.mode === 'batch') {
    const problem = await batchParityProblem(documents, tableName, shards);
    if (!problem) return seedInBatches(documents, tableName, shards, residents, options);
    options.log(`seeding: batch items differ from the store's (${problem}); seeding through the store instead`);
    return { ...(await seedThroughStore(documents, tableName, shards, residents, options)), parityProblem: problem };
  }
  return seedThroughStore(documents, tableName, shards, residents, options);
};
