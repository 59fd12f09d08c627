import { expect } from 'vitest';
import type { FanOutTask } from '../../../shared/domain/jobs.js';
import { type CreateBroadcastInput } from '../../../shared/broadcasts/broadcasts.js';
import type { BroadcastDependencies } from '../../../shared/ports/dependencies.js';
import { aPhone, aPrincipal, aTopic, broadcastSettings, inboundEvidence } from '../../support/builders.js';
import { FixedClock, RecordingQueue, SequentialIds, inMemoryStores, type InMemoryStores } from '../../support/in-memory-stores.js';

/**
 * The world the broadcast lifecycle tests share: topics, residents, staff and dependencies, with
 * the clock held still at chosen instants (Europe/London, quiet hours 21:00-08:00 unless a test
 * says otherwise). Each of broadcast-{drafts,scheduling,quiet-hours,approvals,daily-cap,lifecycle}.test.ts
 * takes one part of the lifecycle through the use cases.
 */

export const SHARDS = 2;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/** A Tuesday morning in winter (GMT): 10:00 on the wall clock, outside quiet hours. */
export const TUESDAY_10AM = '2025-03-04T10:00:00.000Z';

export const sender = aPrincipal({ keyId: 'key-sender', role: 'sender', department: 'traffic' });
export const approver = aPrincipal({ keyId: 'key-approver', name: 'Traffic approver', role: 'approver', department: 'traffic' });
export const operator = aPrincipal({ keyId: 'key-operator', name: 'Council IT', role: 'operator', department: '*' });
export const otherOperator = aPrincipal({ keyId: 'key-operator-2', name: 'Council IT (2)', role: 'operator', department: '*' });

export type Settings = Parameters<typeof broadcastSettings>[0];

/** Residents numbered from `first`, subscribed by SMS to a topic. */
export async function subscribe(stores: InMemoryStores, topicId: string, count: number, first = 1): Promise<void> {
  for (let n = first; n < first + count; n += 1) {
    await stores.subscribers.subscribe(aPhone(n), 'sms', topicId, TUESDAY_10AM, inboundEvidence());
  }
}

/**
 * Topics: traffic and roadworks (traffic, 3 subscribers each), emergency (traffic, two-person
 * rule, 3 subscribers), youth (youth, 2 subscribers).
 */
export async function setUp({ at = TUESDAY_10AM, settings = {} as Settings } = {}) {
  const stores = inMemoryStores(SHARDS);
  await stores.topics.create(aTopic({ id: 'traffic', keywords: ['TRAFFIC'], department: 'traffic' }));
  await stores.topics.create(aTopic({ id: 'roadworks', keywords: ['ROADWORKS'], department: 'traffic' }));
  await stores.topics.create(aTopic({ id: 'emergency', keywords: ['EMERGENCY'], department: 'traffic', requiresApproval: true }));
  await stores.topics.create(aTopic({ id: 'youth', name: 'Youth news', keywords: ['YOUTH'], department: 'youth' }));
  await subscribe(stores, 'traffic', 3, 1);
  await subscribe(stores, 'roadworks', 3, 11);
  await subscribe(stores, 'emergency', 3, 21);
  await subscribe(stores, 'youth', 2, 31);
  const clock = new FixedClock(at);
  const fanOutTasks = new RecordingQueue<FanOutTask>();
  const deps: BroadcastDependencies = {
    stores,
    clock,
    ids: new SequentialIds('bc'),
    fanOutTasks,
    topicShards: SHARDS,
    ...broadcastSettings(settings),
  };
  return { deps, stores, clock, fanOutTasks };
}

export function input(overrides: Partial<CreateBroadcastInput> = {}): CreateBroadcastInput {
  return { topics: ['traffic'], body: 'The A470 northbound is closed at Coryton.', priority: 'normal', ...overrides };
}

/** The fan-out tasks a broadcast's release queues: one per topic, for all its shards. */
export function tasksFor(broadcastId: string, topics: string[]): FanOutTask[] {
  return topics.map((topicId) => ({ broadcastId, topicId, shard: 0, shardCount: SHARDS }));
}

export const inMinutes = (clock: FixedClock, minutes: number) => new Date(clock.now().getTime() + minutes * MINUTE).toISOString();

export async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the call to be refused'),
    (error: unknown) => error,
  );
}

