import { NotFoundError } from '../domain/errors.js';
import type { Principal } from '../domain/model.js';
import type { Page } from '../ports/page.js';
import { authorize } from './access.js';
import { recordAudit } from './audit.js';
import type { CoreDependencies } from '../ports/dependencies.js';
import { auditedStaff, newStaffRecord, type NewStaff, type StaffRecord } from './staff-record.js';
import {
  changedStaff,
  isDeploymentOperator,
  managesTeamOf,
  refuseGrant,
  refuseLosingAccess,
  refuseOutsideTeam,
  type StaffChange,
} from './staff-rules.js';

/** Records read per page while counting the deployment's operators: the team is small, so a page or two. */
const COUNT_PAGE = 100;

/** Adds a person; a second current record with their email is refused (409, naming it). */
export async function addStaff(deps: CoreDependencies, principal: Principal, input: NewStaff): Promise<StaffRecord> {
  authorize(principal, 'staff:manage');
  refuseGrant(principal, input.department);
  const record = newStaffRecord(input, deps.ids.next(), deps.clock.now(), principal.keyId);
  await deps.stores.staff.create(record);
  await recordAudit(deps, principal, 'staff.add', { type: 'staff', id: record.id }, { department: record.department, after: auditedStaff(record) });
  return record;
}

/**
 * A page of the team. A department's operator sees their department's people only: the page is
 * filtered after it is read, so it may hold fewer than `limit` (even none) while a cursor still
 * says more may follow.
 */
export async function listStaff(
  deps: CoreDependencies,
  principal: Principal,
  query: { limit: number; cursor?: string },
): Promise<Page<StaffRecord>> {
  authorize(principal, 'staff:manage');
  const page = await deps.stores.staff.list(query.limit, query.cursor);
  return { ...page, items: page.items.filter((record) => managesTeamOf(principal, record.department)) };
}

/** Someone in this operator's team: 404 for an id never used, 403 (saying why) for another department's. */
export async function teamMember(deps: CoreDependencies, principal: Principal, id: string): Promise<StaffRecord> {
  authorize(principal, 'staff:manage');
  const record = await deps.stores.staff.get(id);
  if (!record) throw new NotFoundError(`no member of staff ${id}`);
  refuseOutsideTeam(principal, record);
  return record;
}

/**
 * Changes a person's department, role or mode in place: they keep their sign-in, and have the
 * new access from their next request. Refused for oneself, for the deployment's last operator,
 * and (for a department's operator) outside their department; audited with before and after.
 * A change that changes nothing is answered as it is and records nothing.
 */
export async function changeStaff(deps: CoreDependencies, principal: Principal, id: string, change: StaffChange): Promise<StaffRecord> {
  const existing = await teamMember(deps, principal, id);
  if (existing.removedAt !== undefined) throw new NotFoundError(`no current member of staff ${id}: they were removed`);
  const wanted = changedStaff(existing, change);
  if (wanted.department !== existing.department) refuseGrant(principal, wanted.department);
  if (wanted.department === existing.department && wanted.role === existing.role && wanted.mode === existing.mode) return existing;
  refuseLosingAccess(principal.keyId, existing, wanted, await deploymentOperators(deps));
  const changed = await deps.stores.staff.change(id, wanted);
  if (!changed) throw new NotFoundError(`no current member of staff ${id}: they were removed`);
  await recordAudit(deps, principal, 'staff.change', { type: 'staff', id }, { department: changed.department, before: auditedStaff(existing), after: auditedStaff(changed) });
  return changed;
}

/**
 * They lose access at once; their record stays (marked removed) so the audit log and the
 * broadcasts they made still name them. Removing someone already removed changes and records
 * nothing. Nobody removes themselves, nor the deployment's last operator.
 */
export async function removeStaff(deps: CoreDependencies, principal: Principal, id: string): Promise<StaffRecord> {
  const existing = await teamMember(deps, principal, id);
  if (existing.removedAt !== undefined) return existing;
  refuseLosingAccess(principal.keyId, existing, 'removed', await deploymentOperators(deps));
  const at = deps.clock.now().toISOString();
  if (!(await deps.stores.staff.remove(id, at))) throw new NotFoundError(`no member of staff ${id}`);
  const removed = { ...existing, removedAt: at };
  await recordAudit(deps, principal, 'staff.remove', { type: 'staff', id }, { department: existing.department, before: auditedStaff(existing), after: { removedAt: at } });
  return removed;
}

/** How many current live operators of every department there are (the team is small: read whole). */
async function deploymentOperators(deps: CoreDependencies): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.stores.staff.list(COUNT_PAGE, cursor);
    count += page.items.filter(isDeploymentOperator).length;
    cursor = page.cursor;
  } while (cursor);
  return count;
}
