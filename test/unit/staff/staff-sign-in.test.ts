import { describe, expect, it } from 'vitest';
import type { IdentityClaims } from '../../../shared/staff/identity-provider.js';
import { identifyStaff } from '../../../shared/staff/sign-in.js';
import { newStaffRecord, type NewStaff } from '../../../shared/staff/staff-record.js';
import type { CoreDependencies } from '../../../shared/ports/dependencies.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

function setUp() {
  const stores = inMemoryStores();
  const deps: CoreDependencies = { stores, clock: new FixedClock('2026-12-01T09:00:00.000Z'), ids: new SequentialIds('staff') };
  return { deps, stores };
}

const claims = (overrides: Partial<IdentityClaims> = {}): IdentityClaims => ({
  subject: 'idp|ana',
  email: 'ana.jones@council.gov.uk',
  emailVerified: true,
  name: 'Ana Jones',
  ...overrides,
});

async function addMember(deps: CoreDependencies, id: string, overrides: Partial<NewStaff> = {}) {
  const record = newStaffRecord(
    { email: 'ana.jones@council.gov.uk', name: 'Ana Jones', department: 'youth', role: 'sender', mode: 'live', ...overrides },
    id,
    new Date('2026-11-01T09:00:00.000Z'),
    'key-operator',
  );
  await deps.stores.staff.create(record);
  return record;
}

describe('identifyStaff', () => {
  it('finds a person by the subject they are bound to, whatever email the provider now gives', async () => {
    // Prepare
    const { deps } = setUp();
    const ana = await addMember(deps, 'staff-ana', { subject: 'idp|ana' });

    // Act
    const outcome = await identifyStaff(deps, claims({ email: 'ana.new-name@council.gov.uk' }));

    // Assess
    expect(outcome).toEqual({ kind: 'staff', staff: ana });
  });

  it('binds the subject to the record added by their verified email, at their first sign-in', async () => {
    // Prepare
    const { deps, stores } = setUp();
    await addMember(deps, 'staff-ana');

    // Act
    const outcome = await identifyStaff(deps, claims({ email: 'Ana.Jones@Council.gov.uk' }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'staff', staff: { id: 'staff-ana', subject: 'idp|ana' } });
    expect((await stores.staff.findBySubject('idp|ana'))?.id).toBe('staff-ana');
  });

  it.each<[string, Partial<IdentityClaims>]>([
    ['an email the provider has not verified', { emailVerified: false }],
    ['no email at all', { email: undefined }],
    ['something that is not an email address', { email: 'ana jones' }],
  ])('refuses %s, and binds nothing', async (_case, overrides) => {
    // Prepare
    const { deps, stores } = setUp();
    await addMember(deps, 'staff-ana');

    // Act
    const outcome = await identifyStaff(deps, claims(overrides));

    // Assess
    expect(outcome.kind).toBe('unknown');
    expect((await stores.staff.get('staff-ana'))?.subject).toBeUndefined();
  });

  it('refuses a record with their email that is bound to another subject', async () => {
    // Prepare
    const { deps } = setUp();
    await addMember(deps, 'staff-ana', { subject: 'idp|the-real-ana' });

    // Act
    const outcome = await identifyStaff(deps, claims({ subject: 'idp|someone-else' }));

    // Assess
    expect(outcome).toEqual({ kind: 'unknown', email: 'ana.jones@council.gov.uk' });
  });

  it('refuses a person whose record was removed', async () => {
    // Prepare
    const { deps, stores } = setUp();
    await addMember(deps, 'staff-ana', { subject: 'idp|ana' });
    await stores.staff.remove('staff-ana', '2026-11-30T09:00:00.000Z');

    // Act
    const outcome = await identifyStaff(deps, claims());

    // Assess
    expect(outcome).toEqual({ kind: 'unknown', email: 'ana.jones@council.gov.uk' });
  });

  it('makes the first operator an operator of every department while there are no staff, and audits it', async () => {
    // Prepare
    const { deps, stores } = setUp();

    // Act
    const outcome = await identifyStaff(deps, claims({ email: 'it.lead@council.gov.uk', subject: 'idp|lead', name: 'IT Lead' }), 'IT.Lead@council.gov.uk');

    // Assess
    expect(outcome).toMatchObject({ kind: 'staff', staff: { email: 'it.lead@council.gov.uk', role: 'operator', department: '*', subject: 'idp|lead', createdBy: 'deployment' } });
    expect(stores.audit.entries).toEqual([
      expect.objectContaining({ action: 'staff.add', actor: expect.objectContaining({ keyId: 'deployment' }), after: expect.objectContaining({ email: 'it.lead@council.gov.uk', role: 'operator' }) }),
    ]);
  });

  it.each<[string, { staffExist: boolean; email: string }]>([
    ['once there are staff', { staffExist: true, email: 'it.lead@council.gov.uk' }],
    ['for another email', { staffExist: false, email: 'someone@council.gov.uk' }],
  ])('makes nobody the first operator %s', async (_case, { staffExist, email }) => {
    // Prepare
    const { deps, stores } = setUp();
    if (staffExist) await addMember(deps, 'staff-ana');

    // Act
    const outcome = await identifyStaff(deps, claims({ email, subject: 'idp|lead' }), 'it.lead@council.gov.uk');

    // Assess
    expect(outcome).toEqual({ kind: 'unknown', email });
    expect(stores.audit.entries).toEqual([]);
  });
});
