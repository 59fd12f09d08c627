import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../shared/domain/errors.js';
import { assignableStaff, assignInboxEntry } from '../../../shared/inbox/assign.js';
import { setSeveralHandled } from '../../../shared/inbox/handle-several.js';
import { addInboxNote } from '../../../shared/inbox/notes.js';
import type { StaffRecord } from '../../../shared/staff/staff-record.js';
import { aPhone, aPrincipal, anInboxEntry } from '../../support/builders.js';
import { FixedClock, inMemoryStores, SequentialIds } from '../../support/in-memory-stores.js';

const AT = '2025-03-04T10:00:00.000Z';

function aStaffRecord(overrides: Partial<StaffRecord>): StaffRecord {
  return { id: 'staff-x', email: 'x@council.test', name: 'X', department: 'traffic', role: 'sender', mode: 'live', createdAt: AT, createdBy: 'key-operator', ...overrides };
}

async function prepared() {
  const stores = inMemoryStores();
  const deps = { stores, clock: new FixedClock(AT), ids: new SequentialIds('n') };
  for (const record of [
    aStaffRecord({ id: 'staff-alice', name: 'Alice', email: 'alice@council.test' }),
    aStaffRecord({ id: 'staff-bob', name: 'Bob', email: 'bob@council.test', role: 'approver' }),
    aStaffRecord({ id: 'staff-vera', name: 'Vera', email: 'vera@council.test', role: 'viewer' }),
    aStaffRecord({ id: 'staff-yusuf', name: 'Yusuf', email: 'yusuf@council.test', department: 'youth' }),
    aStaffRecord({ id: 'staff-tess', name: 'Tess', email: 'tess@council.test', mode: 'test' }),
    aStaffRecord({ id: 'staff-gone', name: 'Gone', email: 'gone@council.test', removedAt: AT }),
  ]) {
    await stores.staff.create(record);
  }
  const entry = await stores.inbox.add(anInboxEntry({ department: 'traffic', from: aPhone(7), body: 'Pothole on Elm Road' }));
  return { deps, stores, entry };
}

const sender = aPrincipal({ keyId: 'staff-alice', role: 'sender', department: 'traffic' });

describe('assigning an inbox message', () => {
  it('offers the current staff of the department who may handle it, live or test as the person is, by name', async () => {
    // Prepare
    const { deps } = await prepared();

    // Act
    const names = (await assignableStaff(deps, sender, 'traffic')).map((staff) => staff.name);

    // Assess
    expect(names).toEqual(['Alice', 'Bob']);
  });

  it.each([
    { case: 'a viewer', assignee: 'staff-vera' },
    { case: 'someone of another department', assignee: 'staff-yusuf' },
    { case: 'test staff, by live staff', assignee: 'staff-tess' },
    { case: 'someone removed', assignee: 'staff-gone' },
    { case: 'nobody known', assignee: 'staff-nobody' },
  ])('refuses $case, naming the assignee field, and changes nothing', async ({ assignee }) => {
    // Prepare
    const { deps, stores, entry } = await prepared();

    // Act
    const outcome = assignInboxEntry(deps, sender, entry.id, assignee);

    // Assess
    await expect(outcome).rejects.toMatchObject({ constructor: ValidationError, details: [{ field: 'assignee', message: 'must be a member of staff of traffic who may handle its inbox' }] });
    expect((await stores.inbox.get(entry.id))?.assignedTo).toBeUndefined();
    expect(stores.audit.entries).toEqual([]);
  });

  it('assigns, reassigns and unassigns, each in the audit log with before and after (ids only), and records nothing for no change', async () => {
    // Prepare
    const { deps, stores, entry } = await prepared();

    // Act
    await assignInboxEntry(deps, sender, entry.id, 'staff-alice');
    await assignInboxEntry(deps, sender, entry.id, 'staff-alice');
    await assignInboxEntry(deps, sender, entry.id, 'staff-bob');
    const last = await assignInboxEntry(deps, sender, entry.id, undefined);

    // Assess
    expect(last.assignedTo).toBeUndefined();
    expect(stores.audit.entries.map(({ action, target, before, after, department }) => ({ action, target, before, after, department }))).toEqual([
      { action: 'inbox.assign', target: { type: 'inbox', id: entry.id }, before: { assignedTo: null }, after: { assignedTo: 'staff-alice' }, department: 'traffic' },
      { action: 'inbox.assign', target: { type: 'inbox', id: entry.id }, before: { assignedTo: 'staff-alice' }, after: { assignedTo: 'staff-bob' }, department: 'traffic' },
      { action: 'inbox.assign', target: { type: 'inbox', id: entry.id }, before: { assignedTo: 'staff-bob' }, after: { assignedTo: null }, department: 'traffic' },
    ]);
  });

  it('refuses a viewer and another department', async () => {
    // Prepare
    const { deps, entry } = await prepared();

    // Act / Assess
    await expect(assignInboxEntry(deps, aPrincipal({ role: 'viewer', department: 'traffic' }), entry.id, 'staff-alice')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(assignInboxEntry(deps, aPrincipal({ role: 'sender', department: 'youth' }), entry.id, 'staff-yusuf')).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('notes for colleagues', () => {
  it('keeps notes in order, and audits their length, never their words or the number', async () => {
    // Prepare
    const { deps, stores, entry } = await prepared();

    // Act
    await addInboxNote(deps, sender, entry.id, '  Rang highways  ');
    const updated = await addInboxNote(deps, sender, entry.id, 'They will fix it Friday');

    // Assess
    expect(updated.notes?.map((note) => [note.text, note.by])).toEqual([['Rang highways', 'staff-alice'], ['They will fix it Friday', 'staff-alice']]);
    const audited = JSON.stringify(stores.audit.entries);
    expect(stores.audit.entries.map((audit) => audit.after)).toEqual([{ noteId: updated.notes?.[0]?.id, characters: 13 }, { noteId: updated.notes?.[1]?.id, characters: 23 }]);
    expect(audited).not.toContain('highways');
    expect(audited).not.toContain(aPhone(7));
  });

  it.each([
    { case: 'empty', text: '   ', message: 'must not be empty' },
    { case: 'too long', text: 'x'.repeat(1001), message: 'must be at most 1000 characters' },
  ])('refuses a note that is $case, naming the text field', async ({ text, message }) => {
    // Prepare
    const { deps, entry } = await prepared();

    // Act / Assess
    await expect(addInboxNote(deps, sender, entry.id, text)).rejects.toMatchObject({ constructor: ValidationError, details: [{ field: 'text', message }] });
  });
});

describe('handling several messages at once', () => {
  it('marks each handled, then reopens each, one audit record per change', async () => {
    // Prepare
    const { deps, stores, entry } = await prepared();
    const other = await stores.inbox.add(anInboxEntry({ department: 'traffic', from: aPhone(8) }));

    // Act
    const handled = await setSeveralHandled(deps, sender, [entry.id, other.id, entry.id], true);
    const reopened = await setSeveralHandled(deps, sender, [entry.id, other.id], false);

    // Assess
    expect(handled.map((one) => one.handled)).toEqual([true, true]);
    expect(reopened.map((one) => one.handled)).toEqual([false, false]);
    expect(stores.audit.entries.map((audit) => audit.action)).toEqual(['inbox.handle', 'inbox.handle', 'inbox.reopen', 'inbox.reopen']);
  });

  it('changes nothing when one of them is unknown or of another department', async () => {
    // Prepare
    const { deps, stores, entry } = await prepared();
    const youths = await stores.inbox.add(anInboxEntry({ department: 'youth', from: aPhone(9) }));

    // Act
    const unknown = setSeveralHandled(deps, sender, [entry.id, 'AAAAAAAAAAAAAAAAAAAAAA'], true);
    const foreign = setSeveralHandled(deps, sender, [entry.id, youths.id], true);

    // Assess
    await expect(unknown).rejects.toBeInstanceOf(NotFoundError);
    await expect(foreign).rejects.toBeInstanceOf(ForbiddenError);
    expect((await stores.inbox.get(entry.id))?.handled).toBe(false);
    expect(stores.audit.entries).toEqual([]);
  });
});
