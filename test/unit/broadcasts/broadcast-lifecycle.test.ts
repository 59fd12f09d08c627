import { describe, expect, it } from 'vitest';
import { approveBroadcast, submitBroadcast } from '../../../shared/broadcasts/broadcast-approval.js';
import { EXACT_AUDIENCE_LIMIT } from '../../../shared/broadcasts/broadcast-audience.js';
import { startDueBroadcasts } from '../../../shared/broadcasts/broadcast-start.js';
import { cancelBroadcast, createBroadcast } from '../../../shared/broadcasts/broadcasts.js';
import { aPhone, inboundEvidence } from '../../support/builders.js';
import { MINUTE, TUESDAY_10AM, sender, approver, setUp, input, inMinutes } from './lifecycle-world.js';

/** The broadcast lifecycle through the use cases. What releasing and cancelling leave behind, and the audience limits. */

describe('releasing and cancelling leave nothing behind', () => {
  it('takes back the approval when the fan-out cannot be queued: the broadcast waits for approval again, as it was', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    const waiting = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));
    fanOutTasks.failNextSend(new Error('SQS is unavailable'));

    // Act
    const attempt = approveBroadcast(deps, approver, waiting.id);

    // Assess
    await expect(attempt).rejects.toThrow('SQS is unavailable');
    const after = await stores.broadcasts.get(waiting.id);
    expect(after?.status).toBe('pending_approval');
    expect(after?.approvedBy).toBeUndefined();
    expect(after?.approvedAt).toBeUndefined();
    expect(after?.startsAt).toBeUndefined();
  });

  it('does not give back the cap of a scheduled broadcast the scheduler started a moment before the cancel', async () => {
    // Prepare
    const { deps, stores, clock } = await setUp({ settings: { dailyMessageCap: 100 } });
    const scheduled = await createBroadcast(deps, sender, input({ sendAt: inMinutes(clock, 30) }));
    const seenByCancel = await stores.broadcasts.get(scheduled.id);
    clock.advance(30 * MINUTE);
    await startDueBroadcasts(deps);
    // The cancel read the broadcast while it was still scheduled.
    const realGet = stores.broadcasts.get.bind(stores.broadcasts);
    let reads = 0;
    stores.broadcasts.get = async (id: string) => (reads++ === 0 ? structuredClone(seenByCancel) : realGet(id));

    // Act
    const cancelled = await cancelBroadcast(deps, sender, scheduled.id);

    // Assess
    expect(cancelled.status).toBe('cancelled');
    expect(stores.departments.capCounts.get(`traffic#${scheduled.capDay}`)).toBe(3);
  });
});

describe('the audience limits are checked against', () => {
  it('counts a filtered broadcast by the residents it would reach, so it fits a cap the whole topic would not', async () => {
    // Prepare
    const { deps, stores } = await setUp({ settings: { dailyMessageCap: 2 } });
    await stores.subscribers.updateProfile(aPhone(1), 'sms', { area: 'CF10' }, TUESDAY_10AM, inboundEvidence());

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ filters: { areas: ['CF10'] } }));

    // Assess
    expect(broadcast).toMatchObject({ status: 'sending', audience: 1 });
  });

  it('counts a resident of two topics once', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.subscribers.subscribe(aPhone(1), 'sms', 'roadworks', TUESDAY_10AM, inboundEvidence());

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ topics: ['traffic', 'roadworks'] }));

    // Assess: three in traffic, three more in roadworks, one of them in both.
    expect(broadcast.audience).toBe(6);
  });

  it('counts several topics without filters from the topic index alone, reading no resident\'s profile', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.subscribers.subscribe(aPhone(1), 'sms', 'roadworks', TUESDAY_10AM, inboundEvidence());
    let profileReads = 0;
    const realProfilesOf = stores.subscribers.profilesOf.bind(stores.subscribers);
    stores.subscribers.profilesOf = async (...args: Parameters<typeof realProfilesOf>) => {
      profileReads += 1;
      return realProfilesOf(...args);
    };

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ topics: ['traffic', 'roadworks'] }));

    // Assess: the same six as the fan-out will target, and not one profile read for them.
    expect(broadcast.audience).toBe(6);
    expect(profileReads).toBe(0);
  });
});

describe('the audience of a very large broadcast', () => {
  it('is checked against the topics\' totals above the exact-count limit, without walking every resident', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    const realCount = stores.topics.subscriberCount.bind(stores.topics);
    stores.topics.subscriberCount = async (id: string) => (id === 'roadworks' ? EXACT_AUDIENCE_LIMIT : realCount(id));
    let pagesRead = 0;
    const realPage = stores.topicIndex.page.bind(stores.topicIndex);
    stores.topicIndex.page = async (...args: Parameters<typeof realPage>) => {
      pagesRead += 1;
      return realPage(...args);
    };

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ topics: ['traffic', 'roadworks'], filters: { areas: ['CF10'] }, draft: true }));
    const submitted = await submitBroadcast(deps, sender, broadcast.id);

    // Assess
    expect(submitted.audience).toBe(3 + EXACT_AUDIENCE_LIMIT);
    expect(pagesRead).toBe(0);
  });
});
