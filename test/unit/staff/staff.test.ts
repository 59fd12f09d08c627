import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../shared/domain/errors.js';
import { roleSchema } from '../../../shared/domain/model.js';
import { addStaff, listStaff, removeStaff } from '../../../shared/staff/manage-staff.js';
import { newStaffSchema } from '../../../shared/staff/staff-record.js';
import type { CoreDependencies } from '../../../shared/ports/dependencies.js';
import { aPrincipal } from '../../support/builders.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

const operator = aPrincipal({ keyId: 'key-operator', name: 'IT operator', role: 'operator', department: '*' });

function setUp() {
  const stores = inMemoryStores();
  const clock = new FixedClock('2026-12-01T09:00:00.000Z');
  const deps: CoreDependencies = { stores, clock, ids: new SequentialIds() };
  return { deps, stores, clock };
}

const aNewMember = (overrides: Record<string, unknown> = {}) =>
  newStaffSchema.parse({ email: 'Ana.Jones@Council.gov.uk', name: 'Ana Jones', department: 'youth', role: 'sender', ...overrides });

describe('newStaffSchema', () => {
  it('keeps an email trimmed and lower-cased, and a live member by default', () => {
    // Prepare
    const input = { email: '  Ana.Jones@Council.GOV.uk ', name: 'Ana Jones', department: 'youth', role: 'sender' };

    // Act
    const parsed = newStaffSchema.parse(input);

    // Assess
    expect(parsed).toEqual({ email: 'ana.jones@council.gov.uk', name: 'Ana Jones', department: 'youth', role: 'sender', mode: 'live' });
  });

  it.each([
    ['email', { email: 'not an address' }],
    ['role', { role: 'admin' }],
    ['department', { department: '' }],
    ['name', { name: ' ' }],
  ])('refuses a bad %s, naming the field', (field, overrides) => {
    // Prepare
    const input = { email: 'ana@council.gov.uk', name: 'Ana', department: 'youth', role: 'sender', ...overrides };

    // Act
    const result = newStaffSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([field]);
  });
});

describe('addStaff', () => {
  it('stores the person under a new id with who added them, and audits it with their email', async () => {
    // Prepare
    const { deps, stores } = setUp();

    // Act
    const added = await addStaff(deps, operator, aNewMember({ mode: 'test' }));

    // Assess
    expect(added).toEqual({
      id: expect.any(String),
      email: 'ana.jones@council.gov.uk',
      name: 'Ana Jones',
      department: 'youth',
      role: 'sender',
      mode: 'test',
      createdAt: '2026-12-01T09:00:00.000Z',
      createdBy: 'key-operator',
    });
    expect(await stores.staff.findByEmail('ana.jones@council.gov.uk')).toEqual(added);
    expect(stores.audit.entries).toEqual([
      expect.objectContaining({
        action: 'staff.add',
        actor: expect.objectContaining({ keyId: 'key-operator' }),
        target: { type: 'staff', id: added.id },
        after: { id: added.id, email: 'ana.jones@council.gov.uk', name: 'Ana Jones', department: 'youth', role: 'sender', mode: 'test' },
      }),
    ]);
  });

  it('refuses an email already in use, however it is spelt, and audits nothing more', async () => {
    // Prepare
    const { deps, stores } = setUp();
    await addStaff(deps, operator, aNewMember());

    // Act
    const again = addStaff(deps, operator, aNewMember({ email: 'ANA.JONES@council.gov.uk', name: 'Another' }));

    // Assess
    await expect(again).rejects.toThrow(new ConflictError('a member of staff already has the email address ana.jones@council.gov.uk'));
    expect(stores.audit.entries).toHaveLength(1);
  });
});

describe('staff:manage', () => {
  it.each(roleSchema.options.filter((role) => role !== 'operator'))('a %s key may not add, list or remove staff', async (role) => {
    // Prepare
    const { deps } = setUp();
    const principal = aPrincipal({ role, department: 'youth' });

    // Act
    const attempts = [addStaff(deps, principal, aNewMember()), listStaff(deps, principal, { limit: 10 }), removeStaff(deps, principal, 'x')];

    // Assess
    for (const attempt of attempts) await expect(attempt).rejects.toThrow(ForbiddenError);
  });

  it('a test operator key may not manage staff', async () => {
    // Prepare
    const { deps } = setUp();

    // Act
    const attempt = listStaff(deps, { ...operator, mode: 'test' }, { limit: 10 });

    // Assess
    await expect(attempt).rejects.toThrow('a test key may not add, list or remove staff: test keys see and change test data only; use a live key');
  });
});

describe('listStaff and removeStaff', () => {
  it('removes a person: they keep their record, lose their email, and the removal is audited once', async () => {
    // Prepare
    const { deps, stores, clock } = setUp();
    const added = await addStaff(deps, operator, aNewMember());
    clock.advance(24 * 3600 * 1000);

    // Act
    const removed = await removeStaff(deps, operator, added.id);
    const again = await removeStaff(deps, operator, added.id);

    // Assess
    expect(removed).toEqual({ ...added, removedAt: '2026-12-02T09:00:00.000Z' });
    expect(again).toEqual(removed);
    expect(await stores.staff.findByEmail(added.email)).toBeUndefined();
    expect((await listStaff(deps, operator, { limit: 10 })).items).toEqual([removed]);
    expect(stores.audit.entries.map((entry) => entry.action)).toEqual(['staff.add', 'staff.remove']);
    expect(stores.audit.entries[1]).toMatchObject({ target: { type: 'staff', id: added.id }, after: { removedAt: '2026-12-02T09:00:00.000Z' } });
  });

  it('answers 404 for an id never used', async () => {
    // Prepare
    const { deps } = setUp();

    // Act
    const attempt = removeStaff(deps, operator, 'nobody');

    // Assess
    await expect(attempt).rejects.toThrow(new NotFoundError('no member of staff nobody'));
  });
});
