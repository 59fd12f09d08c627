import { describe, expect, it } from 'vitest';
import { ForbiddenError, LimitExceededError } from '../../../shared/domain/errors.js';
import { errorResponse } from '../../../shared/runtime/http/responses.js';
import { approveBroadcast, submitBroadcast } from '../../../shared/broadcasts/broadcast-approval.js';
import { cancelBroadcast, createBroadcast } from '../../../shared/broadcasts/broadcasts.js';
import { getDepartmentLimits, setDepartmentLimits } from '../../../shared/usage/department-limits.js';
import { aPrincipal } from '../../support/builders.js';
import { TUESDAY_10AM, sender, approver, operator, setUp, input, inMinutes, caught } from './lifecycle-world.js';

/** The broadcast lifecycle through the use cases. A department's daily message cap. */

describe('daily message cap', () => {
  it('counts a broadcast within the deployment’s cap against today', async () => {
    // Prepare
    const { deps } = await setUp({ settings: { dailyMessageCap: 5 } });

    // Act
    const broadcast = await createBroadcast(deps, sender, input());

    // Assess
    expect(broadcast).toMatchObject({ status: 'sending', audience: 3, capDay: '2025-03-04' });
    expect(await getDepartmentLimits(deps, sender, 'traffic')).toEqual({
      department: 'traffic',
      dailyMessageCap: 5,
      operatorApprovalAbove: 0,
      source: { dailyMessageCap: 'deployment', operatorApprovalAbove: 'deployment' },
      today: '2025-03-04',
      usedToday: 3,
      costToday: { currency: 'GBP', estimatedMicros: 0, replies: { currency: 'GBP', estimatedMicros: 0 } },
    });
  });

  it.each([
    ['the deployment has no cap', { dailyMessageCap: 0 }, undefined],
    ['the department’s own cap is off (0)', { dailyMessageCap: 100 }, 0],
  ])('counts what a department used today when %s', async (_case, settings, ownCap) => {
    // Prepare
    const { deps } = await setUp({ settings });
    if (ownCap !== undefined) await setDepartmentLimits(deps, operator, 'traffic', { dailyMessageCap: ownCap });

    // Act
    await createBroadcast(deps, sender, input({ topics: ['traffic'] }));
    await createBroadcast(deps, sender, input({ topics: ['roadworks'] }));

    // Assess
    expect(await getDepartmentLimits(deps, sender, 'traffic')).toMatchObject({ dailyMessageCap: 0, usedToday: 6 });
  });

  it('gives back what a department without a cap counted when a scheduled broadcast is cancelled', async () => {
    // Prepare
    const { deps, clock } = await setUp({ settings: { dailyMessageCap: 0 } });
    await createBroadcast(deps, sender, input({ topics: ['traffic'] }));
    const scheduled = await createBroadcast(deps, sender, input({ topics: ['roadworks'], sendAt: inMinutes(clock, 60) }));

    // Act
    await cancelBroadcast(deps, sender, scheduled.id);

    // Assess
    expect((await getDepartmentLimits(deps, sender, 'traffic')).usedToday).toBe(3);
  });

  it('gives back what a department without a cap counted when another department of the broadcast is over its cap', async () => {
    // Prepare: traffic has no cap; youth's own cap is 4 and the broadcast reaches 5.
    const { deps } = await setUp({ settings: { dailyMessageCap: 0 } });
    await setDepartmentLimits(deps, operator, 'youth', { dailyMessageCap: 4 });

    // Act
    const error = await caught(createBroadcast(deps, operator, input({ topics: ['traffic', 'youth'] })));

    // Assess
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((await getDepartmentLimits(deps, operator, 'traffic')).usedToday).toBe(0);
  });

  it('lets a broadcast fill the cap exactly', async () => {
    // Prepare
    const { deps } = await setUp({ settings: { dailyMessageCap: 6 } });
    await createBroadcast(deps, sender, input({ topics: ['traffic'] }));

    // Act
    const second = await createBroadcast(deps, sender, input({ topics: ['roadworks'] }));

    // Assess
    expect(second.status).toBe('sending');
    expect((await getDepartmentLimits(deps, sender, 'traffic')).usedToday).toBe(6);
  });

  it('refuses a broadcast over the cap with a 429 naming the department and numbers, and leaves nothing behind', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp({ settings: { dailyMessageCap: 5 } });
    const first = await createBroadcast(deps, sender, input({ topics: ['traffic'] }));
    const auditBefore = stores.audit.entries.length;
    const tasksBefore = fanOutTasks.sent.length;

    // Act
    const error = await caught(createBroadcast(deps, sender, input({ topics: ['roadworks'] })));

    // Assess
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as Error).message).toBe(
      'department "traffic" may send 5 messages a day; 3 are counted for 2025-03-04 and this broadcast reaches 3',
    );
    expect((error as LimitExceededError).details).toEqual([
      { field: 'topics', message: '1 over the daily cap of department "traffic" for 2025-03-04' },
    ]);
    expect(errorResponse(error, 'req-1').statusCode).toBe(429);
    expect([...stores.broadcasts.broadcasts.keys()]).toEqual([first.id]);
    expect(fanOutTasks.sent).toHaveLength(tasksBefore);
    expect(stores.audit.entries).toHaveLength(auditBefore);
    expect((await getDepartmentLimits(deps, sender, 'traffic')).usedToday).toBe(3);
  });

  it('refuses a submitted draft over the cap and keeps it a draft', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp({ settings: { dailyMessageCap: 2 } });
    const draft = await createBroadcast(deps, sender, input({ draft: true }));

    // Act
    const attempt = submitBroadcast(deps, sender, draft.id);

    // Assess
    await expect(attempt).rejects.toThrow(LimitExceededError);
    expect(await stores.broadcasts.get(draft.id)).toEqual(draft);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('refuses the approval of a broadcast over the cap and keeps it pending', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp({ settings: { dailyMessageCap: 4 } });
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));
    await createBroadcast(deps, sender, input({ topics: ['traffic'] }));

    // Act
    const attempt = approveBroadcast(deps, approver, pending.id);

    // Assess
    await expect(attempt).rejects.toThrow(LimitExceededError);
    expect((await stores.broadcasts.get(pending.id))?.status).toBe('pending_approval');
    expect(fanOutTasks.sent.filter((task) => task.broadcastId === pending.id)).toEqual([]);
    expect((await getDepartmentLimits(deps, sender, 'traffic')).usedToday).toBe(3);
  });

  it('uses a department’s own cap, which only operators may set', async () => {
    // Prepare
    const { deps, stores } = await setUp({ settings: { dailyMessageCap: 1000 } });

    // Act
    const refusal = await caught(setDepartmentLimits(deps, sender, 'traffic', { dailyMessageCap: 1 }));
    const limits = await setDepartmentLimits(deps, operator, 'traffic', { dailyMessageCap: 2 });
    const overCap = await caught(createBroadcast(deps, sender, input()));

    // Assess
    expect(refusal).toBeInstanceOf(ForbiddenError);
    expect(limits).toMatchObject({ dailyMessageCap: 2, source: { dailyMessageCap: 'department', operatorApprovalAbove: 'deployment' } });
    expect(overCap).toBeInstanceOf(LimitExceededError);
    expect((overCap as Error).message).toContain('department "traffic" may send 2 messages a day');
    expect(stores.broadcasts.broadcasts.size).toBe(0);
    expect(stores.audit.entries.map((entry) => entry.action)).toEqual(['department.limits']);
  });

  it('goes back to the deployment’s cap when an operator clears the department’s own', async () => {
    // Prepare
    const { deps } = await setUp({ settings: { dailyMessageCap: 1000 } });
    await setDepartmentLimits(deps, operator, 'traffic', { dailyMessageCap: 2 });

    // Act
    const limits = await setDepartmentLimits(deps, operator, 'traffic', { dailyMessageCap: null });
    const broadcast = await createBroadcast(deps, sender, input());

    // Assess
    expect(limits).toMatchObject({ dailyMessageCap: 1000, source: { dailyMessageCap: 'deployment' } });
    expect(broadcast.status).toBe('sending');
  });

  it('counts a test-mode broadcast against nothing', async () => {
    // Prepare
    const { deps } = await setUp({ settings: { dailyMessageCap: 2 } });
    const testSender = aPrincipal({ keyId: 'key-sender-test', role: 'sender', department: 'traffic', mode: 'test' });

    // Act
    const broadcast = await createBroadcast(deps, testSender, input());

    // Assess
    expect(broadcast).toMatchObject({ status: 'sending', mode: 'test', audience: 3 });
    expect((await getDepartmentLimits(deps, sender, 'traffic')).usedToday).toBe(0);
  });

  it('gives back nothing when a scheduled test-mode broadcast is cancelled: it had counted nothing', async () => {
    // Prepare
    const { deps, clock } = await setUp({ settings: { dailyMessageCap: 10 } });
    const testSender = aPrincipal({ keyId: 'key-sender-test', role: 'sender', department: 'traffic', mode: 'test' });
    await createBroadcast(deps, sender, input({ topics: ['traffic'] }));
    const scheduledTest = await createBroadcast(deps, testSender, input({ sendAt: inMinutes(clock, 60) }));

    // Act
    await cancelBroadcast(deps, testSender, scheduledTest.id);

    // Assess
    expect(scheduledTest.status).toBe('scheduled');
    expect((await getDepartmentLimits(deps, sender, 'traffic')).usedToday).toBe(3);
  });

  it('gives back what a multi-department broadcast counted against the others when one department is over its cap', async () => {
    // Prepare: traffic has room; youth's own cap is 4 and the broadcast reaches 5.
    const { deps, stores, fanOutTasks } = await setUp({ settings: { dailyMessageCap: 100 } });
    await setDepartmentLimits(deps, operator, 'youth', { dailyMessageCap: 4 });

    // Act
    const error = await caught(createBroadcast(deps, operator, input({ topics: ['traffic', 'youth'] })));

    // Assess
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as Error).message).toBe('department "youth" may send 4 messages a day; 0 are counted for 2025-03-04 and this broadcast reaches 5');
    expect((await getDepartmentLimits(deps, operator, 'traffic')).usedToday).toBe(0);
    expect((await getDepartmentLimits(deps, operator, 'youth')).usedToday).toBe(0);
    expect(stores.broadcasts.broadcasts.size).toBe(0);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('counts a multi-department broadcast against each department when all have room', async () => {
    // Prepare
    const { deps } = await setUp({ settings: { dailyMessageCap: 100 } });

    // Act
    const broadcast = await createBroadcast(deps, operator, input({ topics: ['traffic', 'youth'] }));

    // Assess
    expect(broadcast).toMatchObject({ status: 'sending', department: 'traffic,youth', audience: 5 });
    expect((await getDepartmentLimits(deps, operator, 'traffic')).usedToday).toBe(5);
    expect((await getDepartmentLimits(deps, operator, 'youth')).usedToday).toBe(5);
  });

  it.each([
    ['scheduled for tomorrow', TUESDAY_10AM, { sendAt: '2025-03-05T10:00:00.000Z' }, '2025-03-05', '2025-03-04'],
    ['made at 22:00 and held for quiet hours until tomorrow', '2025-03-04T22:00:00.000Z', {}, '2025-03-05', '2025-03-04'],
    // 23:30 UTC on 15 July is 00:30 on the 16th in London: the local day counts, not the UTC one.
    ['urgent, at 00:30 BST (still the day before in UTC)', '2025-07-15T23:30:00.000Z', { priority: 'urgent' as const }, '2025-07-16', '2025-07-15'],
  ])('counts a broadcast %s against the local day it starts', async (_case, at, overrides, capDay, notDay) => {
    // Prepare
    const { deps, stores } = await setUp({ at, settings: { dailyMessageCap: 10 } });

    // Act
    const broadcast = await createBroadcast(deps, sender, input(overrides));

    // Assess
    expect(broadcast.capDay).toBe(capDay);
    expect(await stores.departments.used('traffic', capDay)).toBe(3);
    expect(await stores.departments.used('traffic', notDay)).toBe(0);
  });

  it('lets tomorrow’s broadcast use tomorrow’s cap when today’s is full', async () => {
    // Prepare
    const { deps } = await setUp({ settings: { dailyMessageCap: 3 } });
    await createBroadcast(deps, sender, input({ topics: ['traffic'] }));

    // Act
    const tomorrow = await createBroadcast(deps, sender, input({ topics: ['roadworks'], sendAt: '2025-03-05T09:00:00.000Z' }));
    const today = await caught(createBroadcast(deps, sender, input({ topics: ['roadworks'] })));

    // Assess
    expect(tomorrow).toMatchObject({ status: 'scheduled', capDay: '2025-03-05' });
    expect(today).toBeInstanceOf(LimitExceededError);
  });
});
