import { awsClients } from '../shared/adapters/aws-clients.js';
import { countsBetween, totals } from './request-counts.js';
import type { Audience, Bench } from './cell-state.js';
import type { Options } from './options.js';
import { BROADCAST_TOPICS, createTopics, population, URGENT_TOPIC } from './population.js';
import { log } from './progress.js';
import { summarise } from './report.js';
import { seedResidents } from './seed.js';

/* A cell's first step: its topics and residents written, and who the broadcast should reach read back, so what it reaches can be checked against it. */

/** Topics and residents, and the audience the broadcast should reach (from the topic index). */
export async function seedAudience(bench: Bench, options: Options, topics: string[], results: Record<string, unknown>): Promise<Audience> {
  const { api, observer, stack } = bench;
  const beforeSeed = bench.snapshot();
  await createTopics(api);
  const residents = population(options.subscribers);
  log(`seeding ${residents.length} residents over ${BROADCAST_TOPICS.length} topics (${options.seedMode} mode)`);
  const seed = await seedResidents(awsClients().documents, stack.tableName, options.shards, residents, { mode: options.seedMode, log });
  log(`seeded ${seed.residents} residents (${seed.subscriptions} subscriptions) in ${seed.seconds.toFixed(1)} s: ${seed.residentsPerSecond.toFixed(0)} residents/s`);
  const seedCounts = countsBetween(beforeSeed.counts, bench.snapshot().counts);
  results.seed = { ...seed, requests: totals(seedCounts).requests - totals(seedCounts).emptyReceives };
  const topicCounts: Record<string, number> = {};
  for (const topic of [...BROADCAST_TOPICS, URGENT_TOPIC]) {
    topicCounts[topic.id] = Number((await api.expect<{ subscribers: number }>(200, 'GET', `/v1/topics/${topic.id}`)).subscribers);
  }
  results.topicSubscribers = topicCounts;
  const expected = new Map<string, string>();
  for (const topicId of topics) for (const [phone, channel] of await observer.topicMembers(topicId, options.shards)) if (!expected.has(phone)) expected.set(phone, channel);
  log(`audience of ${topics.join(' + ')}: ${expected.size} distinct residents (topic counts ${JSON.stringify(topicCounts)})`);
  return { seed, expected, seedPhase: summarise(seedCounts) };
}
