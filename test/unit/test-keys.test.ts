import { describe, expect, it } from 'vitest';
import { createTopicRequest } from '../../shared/api/schemas.js';
import { ForbiddenError } from '../../shared/domain/errors.js';
import type { FanOutTask } from '../../shared/domain/jobs.js';
import { cancelBroadcast } from '../../shared/usecases/broadcasts.js';
import type { BroadcastDependencies } from '../../shared/usecases/dependencies.js';
import { createTopic } from '../../shared/usecases/topics.js';
import { aBroadcast, aPrincipal, broadcastSettings } from '../support/builders.js';
import { FixedClock, RecordingQueue, SequentialIds, inMemoryStores } from '../support/in-memory-stores.js';

const testOperator = aPrincipal({ keyId: 'key-test', role: 'operator', department: '*', mode: 'test' });

function setUp() {
  const stores = inMemoryStores(2);
  const deps: BroadcastDependencies = {
    stores,
    clock: new FixedClock(),
    ids: new SequentialIds('bc'),
    fanOutTasks: new RecordingQueue<FanOutTask>(),
    topicShards: 2,
    ...broadcastSettings(),
  };
  return { deps, stores };
}

describe('test keys never change live data', () => {
  it('may not cancel a live broadcast, which keeps sending', async () => {
    // Prepare
    const { deps, stores } = setUp();
    await stores.broadcasts.create(aBroadcast({ id: 'bc-live', status: 'sending', mode: 'live' }));

    // Act
    const attempt = cancelBroadcast(deps, testOperator, 'bc-live');

    // Assess
    await expect(attempt).rejects.toThrow(new ForbiddenError('a test key may not cancel a live broadcast'));
    expect((await stores.broadcasts.get('bc-live'))?.status).toBe('sending');
  });

  it('may cancel a test broadcast', async () => {
    // Prepare
    const { deps, stores } = setUp();
    await stores.broadcasts.create(aBroadcast({ id: 'bc-test', status: 'sending', mode: 'test' }));

    // Act
    const cancelled = await cancelBroadcast(deps, testOperator, 'bc-test');

    // Assess
    expect(cancelled.status).toBe('cancelled');
    expect((await stores.broadcasts.get('bc-test'))?.status).toBe('cancelled');
  });

  it('may not create a topic, and nothing is stored', async () => {
    // Prepare
    const { deps, stores } = setUp();

    // Act
    const attempt = createTopic(deps, testOperator, createTopicRequest.parse({ id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] }));

    // Assess
    await expect(attempt).rejects.toThrow(/a test key may not topics create/);
    expect(await stores.topics.list()).toEqual([]);
  });
});
