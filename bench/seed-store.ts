import { DynamoSubscriberStore } from '../shared/adapters/dynamo/subscriber-store.js';
import type { ConsentEvidence } from '../shared/domain/model.js';
import type { Resident } from './population.js';
import { progressReporter, type Seeder } from './seed-report.js';

/*
 * Seeding through `DynamoSubscriberStore` itself: exact by construction (the items are those a
 * resident's JOIN and profile change write), and the reference the batch layout is checked against.
 */

/** The evidence every seeded consent event carries; the batch layout writes the same. */
export const SEED_EVIDENCE: ConsentEvidence = { kind: 'admin', actor: 'bench-seed', reason: 'delivery benchmark population' };

/** `concurrency` residents in flight at a time, each resident's own writes in order, as the store expects. */
export const seedThroughStore: Seeder = async (documents, tableName, shards, residents, options) => {
  const store = new DynamoSubscriberStore(documents, tableName, shards);
  const progress = progressReporter(residents.length, options);
  let nextIndex = 0;
  let subscriptions = 0;
  try {
    const worker = async () => {
      while (nextIndex < residents.length) {
        const resident = residents[nextIndex]!;
        nextIndex += 1;
        // Awaited before adding: `subscriptions += await …` reads the total before the await and
        // so loses what the other workers added meanwhile.
        const added = await seedOneThroughStore(store, resident, new Date().toISOString());
        subscriptions += added;
        progress.advance(1);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 64, residents.length) }, worker));
  } catch (error) {
    progress.stop();
    throw error;
  }
  return progress.finish(subscriptions, 'store');
};

export async function seedOneThroughStore(store: DynamoSubscriberStore, resident: Resident, at: string): Promise<number> {
  let subscriptions = 0;
  for (const topicId of resident.topics) {
    if (await store.subscribe(resident.phone, resident.channel, topicId, at, SEED_EVIDENCE)) subscriptions += 1;
  }
  await store.updateProfile(resident.phone, resident.channel, { area: resident.area, language: resident.language, ageBand: resident.ageBand }, at, SEED_EVIDENCE);
  return subscriptions;
}
