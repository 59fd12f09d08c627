import { describe, expect, it } from 'vitest';
import { broadcastMoves, finalStatuses, refusalFor } from '../../../shared/broadcasts/broadcast-lifecycle.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../shared/domain/errors.js';
import { broadcastStatusSchema, type Broadcast, type BroadcastStatus, type Principal } from '../../../shared/domain/model.js';
import { errorResponse } from '../../../shared/runtime/http/responses.js';
import { approveBroadcast, rejectBroadcast } from '../../../shared/broadcasts/broadcast-approval.js';
import { cancelBroadcast, createBroadcast } from '../../../shared/broadcasts/broadcasts.js';
import { setDepartmentLimits } from '../../../shared/usage/department-limits.js';
import type { BroadcastDependencies } from '../../../shared/ports/dependencies.js';
import { aBroadcast, aPrincipal } from '../../support/builders.js';
import { MINUTE, TUESDAY_10AM, sender, approver, operator, otherOperator, setUp, input, tasksFor, inMinutes, caught } from './lifecycle-world.js';

/** The broadcast lifecycle through the use cases. Approvals (the two-person rule) and cancelling. */

describe('approvals', () => {
  it('holds a broadcast on a topic with the two-person rule for a department approver', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp({ settings: { dailyMessageCap: 100 } });

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));

    // Assess
    expect(broadcast).toMatchObject({ status: 'pending_approval', approval: 'department', audience: 3, startsAt: undefined });
    expect(await stores.broadcasts.get(broadcast.id)).toEqual(broadcast);
    expect(fanOutTasks.sent).toEqual([]);
    // Nothing counts against the cap until it is released.
    expect(await stores.departments.used('traffic', '2025-03-04')).toBe(0);
  });

  it.each([
    ['approve', (deps: BroadcastDependencies, who: Principal, id: string) => approveBroadcast(deps, who, id)],
    ['reject', (deps: BroadcastDependencies, who: Principal, id: string) => rejectBroadcast(deps, who, id, 'wrong road')],
  ] as const)('does not let the author %s their own broadcast', async (_action, act) => {
    // Prepare: an operator may both create and approve, so only the two-person rule stands in the way.
    const { deps, stores, fanOutTasks } = await setUp();
    const pending = await createBroadcast(deps, operator, input({ topics: ['emergency'] }));

    // Act
    const error = await caught(act(deps, operator, pending.id));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toBe('a broadcast must be approved by someone other than its author');
    expect((await stores.broadcasts.get(pending.id))?.status).toBe('pending_approval');
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('sends a broadcast another approver approves, recording who and when', async () => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp();
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));
    clock.advance(5 * MINUTE);

    // Act
    const approved = await approveBroadcast(deps, approver, pending.id);

    // Assess
    const at = '2025-03-04T10:05:00.000Z';
    expect(approved).toMatchObject({ status: 'sending', approvedBy: 'key-approver', approvedAt: at, startsAt: at, approval: 'department' });
    expect(await stores.broadcasts.get(pending.id)).toEqual(approved);
    expect(fanOutTasks.sent).toEqual(tasksFor(pending.id, ['emergency']));
    expect(stores.audit.entries.at(-1)).toMatchObject({
      action: 'broadcast.approve',
      before: { status: 'pending_approval' },
      after: { status: 'sending', approvedBy: 'key-approver' },
    });
  });

  it('schedules an approved broadcast whose sendAt is still ahead', async () => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp();
    const sendAt = inMinutes(clock, 60);
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'], sendAt }));

    // Act
    const approved = await approveBroadcast(deps, approver, pending.id);

    // Assess
    expect(pending).toMatchObject({ status: 'pending_approval', startsAt: undefined });
    expect(approved).toMatchObject({ status: 'scheduled', startsAt: sendAt, approvedBy: 'key-approver' });
    expect([...stores.broadcasts.scheduled.values()]).toEqual([{ broadcastId: pending.id, startsAt: sendAt }]);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('sends at once an approved broadcast whose sendAt passed while it waited', async () => {
    // Prepare
    const { deps, clock, fanOutTasks } = await setUp();
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'], sendAt: inMinutes(clock, 10) }));
    clock.advance(20 * MINUTE);

    // Act
    const approved = await approveBroadcast(deps, approver, pending.id);

    // Assess
    expect(approved).toMatchObject({ status: 'sending', startsAt: '2025-03-04T10:20:00.000Z' });
    expect(fanOutTasks.sent).toEqual(tasksFor(pending.id, ['emergency']));
  });

  it('refuses a rejection from a key without the approve permission', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));
    const colleague = aPrincipal({ keyId: 'key-sender-2', role: 'sender', department: 'traffic' });

    // Act
    const attempt = rejectBroadcast(deps, colleague, pending.id, 'not today');

    // Assess
    await expect(attempt).rejects.toThrow(new ForbiddenError('a sender key may not approve or reject broadcasts'));
    expect((await stores.broadcasts.get(pending.id))?.status).toBe('pending_approval');
  });

  it('rejects with a reason and the rejecter recorded, and a rejected broadcast cannot then be approved (409)', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));

    // Act
    const rejected = await rejectBroadcast(deps, approver, pending.id, 'The closure is on the A4119, not the A470.');
    const error = await caught(approveBroadcast(deps, otherOperator, pending.id));

    // Assess
    expect(rejected).toMatchObject({ status: 'rejected', rejectedBy: 'key-approver', rejectionReason: 'The closure is on the A4119, not the A470.' });
    expect(await stores.broadcasts.get(pending.id)).toMatchObject({
      status: 'rejected',
      rejectedBy: 'key-approver',
      rejectionReason: 'The closure is on the A4119, not the A470.',
      approvedBy: undefined,
    });
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe('cannot approve a broadcast that is rejected');
    expect(errorResponse(error, 'req-1').statusCode).toBe(409);
    expect(fanOutTasks.sent).toEqual([]);
    expect(stores.audit.entries.map((entry) => entry.action)).toEqual(['broadcast.create', 'broadcast.reject']);
  });

  it.each(['sending', 'rejected', 'cancelled'] as const)('refuses to reject a broadcast that is %s (409)', async (status) => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.broadcasts.create(aBroadcast({ id: 'bc-x', status }));

    // Act
    const error = await caught(rejectBroadcast(deps, approver, 'bc-x', 'too late'));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe(refusalFor('reject', status));
    expect((await stores.broadcasts.get('bc-x'))?.status).toBe(status);
  });

  describe('operator approval above a department’s threshold', () => {
    it.each([
      ['the deployment’s threshold', { operatorApprovalAbove: 2 }, undefined],
      ['the department’s own threshold', {}, 2],
    ])('needs an operator for an audience above %s', async (_source, settings, departmentThreshold) => {
      // Prepare
      const { deps, stores, fanOutTasks } = await setUp({ settings });
      if (departmentThreshold !== undefined) {
        await setDepartmentLimits(deps, operator, 'traffic', { operatorApprovalAbove: departmentThreshold });
      }

      // Act
      const broadcast = await createBroadcast(deps, sender, input({ topics: ['traffic'] }));

      // Assess
      expect(broadcast).toMatchObject({ status: 'pending_approval', approval: 'operator', audience: 3 });
      expect(await stores.broadcasts.get(broadcast.id)).toEqual(broadcast);
      expect(fanOutTasks.sent).toEqual([]);
    });

    it('does not need an operator for an audience exactly at the threshold', async () => {
      // Prepare
      const { deps } = await setUp({ settings: { operatorApprovalAbove: 3 } });

      // Act
      const broadcast = await createBroadcast(deps, sender, input({ topics: ['traffic'] }));

      // Assess
      expect(broadcast).toMatchObject({ status: 'sending', approval: 'none', audience: 3 });
    });

    it('asks an operator rather than a department approver when both would apply', async () => {
      // Prepare
      const { deps } = await setUp({ settings: { operatorApprovalAbove: 2 } });

      // Act
      const broadcast = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));

      // Assess
      expect(broadcast).toMatchObject({ status: 'pending_approval', approval: 'operator' });
    });

    it('refuses a department approver (403) and lets an operator approve', async () => {
      // Prepare
      const { deps, stores, fanOutTasks } = await setUp({ settings: { operatorApprovalAbove: 2 } });
      const pending = await createBroadcast(deps, sender, input({ topics: ['traffic'] }));

      // Act
      const refusal = await caught(approveBroadcast(deps, approver, pending.id));
      const stillPending = (await stores.broadcasts.get(pending.id))?.status;
      const approved = await approveBroadcast(deps, operator, pending.id);

      // Assess
      expect(refusal).toBeInstanceOf(ForbiddenError);
      expect((refusal as Error).message).toContain('an operator must approve it');
      expect(errorResponse(refusal, 'req-1').statusCode).toBe(403);
      expect(stillPending).toBe('pending_approval');
      expect(approved).toMatchObject({ status: 'sending', approval: 'operator', approvedBy: 'key-operator' });
      expect(fanOutTasks.sent).toEqual(tasksFor(pending.id, ['traffic']));
    });
  });

  // A live broadcast does not exist for a test key: 404, as for an id never used (it was 403).
  it('does not let a test key approve a live broadcast, which it cannot even see', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));
    const testApprover = aPrincipal({ keyId: 'key-approver-test', role: 'approver', department: 'traffic', mode: 'test' });

    // Act
    const attempt = approveBroadcast(deps, testApprover, pending.id);

    // Assess
    await expect(attempt).rejects.toThrow(new NotFoundError(`no broadcast ${pending.id}`));
    expect((await stores.broadcasts.get(pending.id))?.status).toBe('pending_approval');
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('lets a test key approve a test broadcast', async () => {
    // Prepare
    const { deps } = await setUp();
    const testSender = aPrincipal({ keyId: 'key-sender-test', role: 'sender', department: 'traffic', mode: 'test' });
    const testApprover = aPrincipal({ keyId: 'key-approver-test', role: 'approver', department: 'traffic', mode: 'test' });
    const pending = await createBroadcast(deps, testSender, input({ topics: ['emergency'] }));

    // Act
    const approved = await approveBroadcast(deps, testApprover, pending.id);

    // Assess
    expect(approved).toMatchObject({ status: 'sending', mode: 'test', approvedBy: 'key-approver-test' });
  });
});

describe('cancel', () => {
  /** A broadcast in each status, as the lifecycle would have left it. */
  function broadcastIn(status: BroadcastStatus): Broadcast {
    const released = status === 'scheduled' ? { startsAt: '2025-03-04T12:00:00.000Z', capDay: '2025-03-04', audience: 3 } : {};
    return aBroadcast({ id: 'bc-x', status, priority: 'normal', ...released });
  }

  it.each(broadcastMoves.cancel.from)('cancels a broadcast that is %s, recording who and when', async (status) => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.broadcasts.create(broadcastIn(status));
    if (status === 'scheduled') await stores.broadcasts.scheduleStart('bc-x', '2025-03-04T12:00:00.000Z');

    // Act
    const cancelled = await cancelBroadcast(deps, sender, 'bc-x');

    // Assess
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'key-sender', cancelledAt: TUESDAY_10AM });
    expect(await stores.broadcasts.get('bc-x')).toMatchObject({ status: 'cancelled', cancelledBy: 'key-sender', cancelledAt: TUESDAY_10AM });
    expect(stores.broadcasts.scheduled.size).toBe(0);
    expect(stores.audit.entries).toEqual([
      expect.objectContaining({ action: 'broadcast.cancel', before: { status }, after: { status: 'cancelled' } }),
    ]);
  });

  it.each(finalStatuses)('refuses to cancel a broadcast that is %s (ConflictError), and changes nothing', async (status) => {
    // Prepare
    const { deps, stores } = await setUp();
    const broadcast = broadcastIn(status);
    await stores.broadcasts.create(broadcast);

    // Act
    const error = await caught(cancelBroadcast(deps, sender, 'bc-x'));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe(refusalFor('cancel', status));
    expect(await stores.broadcasts.get('bc-x')).toEqual(broadcast);
    expect(stores.audit.entries).toEqual([]);
  });

  it('lists every status as either cancellable or final, none as both', () => {
    // Prepare
    const cancellable = new Set<BroadcastStatus>(broadcastMoves.cancel.from);

    // Act
    const unaccounted = broadcastStatusSchema.options.filter((status) => !cancellable.has(status) && !finalStatuses.includes(status));
    const both = finalStatuses.filter((status) => cancellable.has(status));

    // Assess
    expect(unaccounted).toEqual([]);
    expect(both).toEqual([]);
  });
});
