import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../shared/domain/errors.js';
import type { Principal } from '../../../shared/domain/model.js';
import { addStaff, changeStaff, listStaff, removeStaff } from '../../../shared/staff/manage-staff.js';
import { newStaffSchema, type StaffRecord } from '../../../shared/staff/staff-record.js';
import { staffChangeSchema } from '../../../shared/staff/staff-rules.js';
import type { CoreDependencies } from '../../../shared/ports/dependencies.js';
import { aPrincipal } from '../../support/builders.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

/** An API key of the deployment's operators: no staff record, so never "yourself". */
const operatorKey = aPrincipal({ keyId: 'key-operator', name: 'IT operator', role: 'operator', department: '*' });

async function setUp() {
  const stores = inMemoryStores();
  const deps: CoreDependencies = { stores, clock: new FixedClock('2026-12-01T09:00:00.000Z'), ids: new SequentialIds() };
  const add = (email: string, department: string, role: string) =>
    addStaff(deps, operatorKey, newStaffSchema.parse({ email, name: email.split('@')[0], department, role }));
  const team = {
    chief: await add('chief@council.test', '*', 'operator'),
    youthLead: await add('youth.lead@council.test', 'youth', 'operator'),
    youthWorker: await add('youth.worker@council.test', 'youth', 'sender'),
    trafficWorker: await add('traffic.worker@council.test', 'traffic', 'sender'),
  };
  stores.audit.entries.length = 0;
  return { deps, stores, team };
}

/** The person signed in, as the console makes their principal (keyId is their staff id). */
const as = (record: StaffRecord): Principal => ({ keyId: record.id, name: record.name, role: record.role, department: record.department, mode: record.mode });

type Team = Awaited<ReturnType<typeof setUp>>['team'];

describe('changeStaff', () => {
  it("changes a person's role in place, keeps their email and sign-in, and audits before and after", async () => {
    // Prepare
    const { deps, stores, team } = await setUp();

    // Act
    const changed = await changeStaff(deps, as(team.chief), team.youthWorker.id, { role: 'approver', mode: 'test' });

    // Assess
    expect(changed).toEqual({ ...team.youthWorker, role: 'approver', mode: 'test' });
    expect(await stores.staff.findByEmail('youth.worker@council.test')).toEqual(changed);
    expect(stores.audit.entries).toEqual([
      expect.objectContaining({
        action: 'staff.change',
        actor: expect.objectContaining({ keyId: team.chief.id }),
        target: { type: 'staff', id: team.youthWorker.id },
        before: expect.objectContaining({ role: 'sender', mode: 'live', department: 'youth' }),
        after: expect.objectContaining({ role: 'approver', mode: 'test', department: 'youth' }),
      }),
    ]);
  });

  it('a change that changes nothing records nothing', async () => {
    // Prepare
    const { deps, stores, team } = await setUp();

    // Act
    const same = await changeStaff(deps, as(team.chief), team.youthWorker.id, { role: 'sender' });

    // Assess
    expect(same).toEqual(team.youthWorker);
    expect(stores.audit.entries).toEqual([]);
  });

  it("a department's operator changes their own department's people", async () => {
    // Prepare
    const { deps, team } = await setUp();

    // Act
    const changed = await changeStaff(deps, as(team.youthLead), team.youthWorker.id, { role: 'viewer' });

    // Assess
    expect(changed.role).toBe('viewer');
  });

  it('the last operator of every department may be demoted once there is another', async () => {
    // Prepare
    const { deps, team } = await setUp();
    const second = await changeStaff(deps, operatorKey, team.youthLead.id, { department: '*' });

    // Act
    const demoted = await changeStaff(deps, as(second), team.chief.id, { role: 'approver' });

    // Assess
    expect(demoted).toMatchObject({ role: 'approver', department: '*' });
  });

  it.each<[string, (team: Team) => [Principal, string, object] | [Principal, string, 'remove'], Error]>([
    ['changing yourself', (team) => [as(team.chief), team.chief.id, { role: 'sender' }], new ConflictError('you cannot change yourself: another operator must change your role, department or mode')],
    ['removing yourself', (team) => [as(team.youthLead), team.youthLead.id, 'remove'], new ConflictError('you cannot remove yourself: another operator must remove you')],
    [
      'demoting the last live operator of every department',
      (team) => [operatorKey, team.chief.id, { role: 'approver' }],
      new ConflictError('chief is the last live operator of every department: add another before you change them, or nobody could manage the team'),
    ],
    [
      'making the last operator of every department a test operator',
      (team) => [operatorKey, team.chief.id, { mode: 'test' }],
      new ConflictError('chief is the last live operator of every department: add another before you change them, or nobody could manage the team'),
    ],
    [
      'removing the last live operator of every department',
      (team) => [as(team.youthLead), team.chief.id, 'remove'],
      new ForbiddenError('you manage the team of department "youth" only, and this person is in every department ("*")'),
    ],
    [
      'removing the last live operator of every department, as a key of every department',
      (team) => [operatorKey, team.chief.id, 'remove'],
      new ConflictError('chief is the last live operator of every department: add another before you remove them, or nobody could manage the team'),
    ],
    [
      "a department's operator changing another department's person",
      (team) => [as(team.youthLead), team.trafficWorker.id, { role: 'viewer' }],
      new ForbiddenError('you manage the team of department "youth" only, and this person is in department "traffic"'),
    ],
    [
      "a department's operator removing another department's person",
      (team) => [as(team.youthLead), team.trafficWorker.id, 'remove'],
      new ForbiddenError('you manage the team of department "youth" only, and this person is in department "traffic"'),
    ],
    [
      "a department's operator granting every department",
      (team) => [as(team.youthLead), team.youthWorker.id, { department: '*' }],
      new ForbiddenError('you manage the team of department "youth" only, so you cannot put anyone in every department ("*")'),
    ],
    [
      "a department's operator moving their person to another department",
      (team) => [as(team.youthLead), team.youthWorker.id, { department: 'traffic' }],
      new ForbiddenError('you manage the team of department "youth" only, so you cannot put anyone in department "traffic"'),
    ],
  ])('refuses %s, saying why, and records nothing', async (_case, attempt, refusal) => {
    // Prepare
    const { deps, stores, team } = await setUp();
    const [principal, id, change] = attempt(team);

    // Act
    const outcome = change === 'remove' ? removeStaff(deps, principal, id) : changeStaff(deps, principal, id, staffChangeSchema.parse(change));

    // Assess
    await expect(outcome).rejects.toThrow(refusal);
    expect(stores.audit.entries).toEqual([]);
    expect((await stores.staff.get(id))?.removedAt).toBeUndefined();
  });

  it('answers 404 for someone already removed', async () => {
    // Prepare
    const { deps, team } = await setUp();
    await removeStaff(deps, operatorKey, team.trafficWorker.id);

    // Act
    const attempt = changeStaff(deps, operatorKey, team.trafficWorker.id, { role: 'viewer' });

    // Assess
    await expect(attempt).rejects.toThrow(new NotFoundError(`no current member of staff ${team.trafficWorker.id}: they were removed`));
  });

  it('refuses an empty change, naming what may change', () => {
    // Act
    const result = staffChangeSchema.safeParse({});

    // Assess
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['must change the department, the role or live or test']);
  });
});

describe("a department's operator", () => {
  it('lists their own department only; an operator of every department lists everyone', async () => {
    // Prepare
    const { deps, team } = await setUp();

    // Act
    const theirs = await listStaff(deps, as(team.youthLead), { limit: 10 });
    const everyone = await listStaff(deps, as(team.chief), { limit: 10 });

    // Assess
    expect(theirs.items.map((record) => record.email)).toEqual(['youth.lead@council.test', 'youth.worker@council.test']);
    expect(everyone.items).toHaveLength(4);
  });

  it.each([
    ['their own department', 'youth', undefined],
    ['every department', '*', 'you manage the team of department "youth" only, so you cannot put anyone in every department ("*")'],
    ['another department', 'traffic', 'you manage the team of department "youth" only, so you cannot put anyone in department "traffic"'],
  ])('inviting into %s', async (_case, department, refusal) => {
    // Prepare
    const { deps, team } = await setUp();
    const input = newStaffSchema.parse({ email: 'new@council.test', name: 'New', department, role: 'sender' });

    // Act
    const outcome = addStaff(deps, as(team.youthLead), input);

    // Assess
    if (refusal) await expect(outcome).rejects.toThrow(new ForbiddenError(refusal));
    else await expect(outcome).resolves.toMatchObject({ department });
  });
});
