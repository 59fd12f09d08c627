import { describe, expect, it } from 'vitest';
import { refusalFor } from '../../../shared/broadcasts/broadcast-lifecycle.js';
import { ConflictError, ForbiddenError } from '../../../shared/domain/errors.js';
import { broadcastStatusSchema } from '../../../shared/domain/model.js';
import { submitBroadcast } from '../../../shared/broadcasts/broadcast-approval.js';
import { createBroadcast } from '../../../shared/broadcasts/broadcasts.js';
import { aBroadcast } from '../../support/builders.js';
import { TUESDAY_10AM, sender, operator, setUp, input, tasksFor, caught } from './lifecycle-world.js';

/** The broadcast lifecycle through the use cases. Drafts: a broadcast kept to preview and submit later. */

describe('drafts', () => {
  it('keeps a draft as a draft: nothing counted, nothing fanned out, nothing scheduled, and the creation audited', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp({ settings: { dailyMessageCap: 100 } });

    // Act
    const draft = await createBroadcast(deps, sender, input({ draft: true }));

    // Assess
    expect(draft).toMatchObject({ id: 'bc-0001', status: 'draft', approval: 'none', audience: undefined, startsAt: undefined });
    expect(await stores.broadcasts.get(draft.id)).toEqual(draft);
    expect(fanOutTasks.sent).toEqual([]);
    expect(stores.broadcasts.scheduled.size).toBe(0);
    expect(await stores.departments.used('traffic', '2025-03-04')).toBe(0);
    expect(stores.audit.entries).toEqual([
      expect.objectContaining({
        action: 'broadcast.create',
        actor: expect.objectContaining({ keyId: 'key-sender' }),
        target: { type: 'broadcast', id: draft.id },
        after: expect.objectContaining({ status: 'draft', body: draft.body, topics: ['traffic'] }),
      }),
    ]);
  });

  it('sends a submitted draft: one fan-out task per topic, its audience counted, and the submission audited', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    const draft = await createBroadcast(deps, sender, input({ topics: ['traffic', 'roadworks'], draft: true }));

    // Act
    const submitted = await submitBroadcast(deps, sender, draft.id);

    // Assess
    expect(submitted).toMatchObject({ status: 'sending', approval: 'none', audience: 6, startsAt: TUESDAY_10AM, capDay: '2025-03-04' });
    expect(await stores.broadcasts.get(draft.id)).toEqual(submitted);
    expect(fanOutTasks.sent).toEqual(tasksFor(draft.id, ['traffic', 'roadworks']));
    expect(stores.audit.entries.map((entry) => entry.action)).toEqual(['broadcast.create', 'broadcast.submit']);
    expect(stores.audit.entries[1]).toMatchObject({ before: { status: 'draft' }, after: { status: 'sending', audience: 6 } });
  });

  it.each(broadcastStatusSchema.options.filter((status) => status !== 'draft'))(
    'refuses to submit a broadcast that is %s, naming its status, and changes nothing',
    async (status) => {
      // Prepare
      const { deps, stores, fanOutTasks } = await setUp();
      const broadcast = aBroadcast({ id: 'bc-x', status });
      await stores.broadcasts.create(broadcast);

      // Act
      const error = await caught(submitBroadcast(deps, sender, 'bc-x'));

      // Assess
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toBe(refusalFor('submit', status));
      expect(await stores.broadcasts.get('bc-x')).toEqual(broadcast);
      expect(fanOutTasks.sent).toEqual([]);
    },
  );

  it('refuses to submit a draft whose department is not the key’s', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    const draft = await createBroadcast(deps, operator, input({ topics: ['youth'], draft: true }));

    // Act
    const attempt = submitBroadcast(deps, sender, draft.id);

    // Assess
    await expect(attempt).rejects.toThrow(ForbiddenError);
    expect((await stores.broadcasts.get(draft.id))?.status).toBe('draft');
  });
});
