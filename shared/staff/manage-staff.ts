import { NotFoundError } from '../domain/errors.js';
import type { Principal } from '../domain/model.js';
import type { Page } from '../ports/stores.js';
import { authorize } from '../usecases/access.js';
import { recordAudit } from '../usecases/audit.js';
import type { CoreDependencies } from '../usecases/dependencies.js';
import { auditedStaff, newStaffRecord, type NewStaff, type StaffRecord } from './staff-record.js';

/** Adds a person; a second current record with their email is refused (409, naming it). */
export async function addStaff(deps: CoreDependencies, principal: Principal, input: NewStaff): Promise<StaffRecord> {
  authorize(principal, 'staff:manage');
  const record = newStaffRecord(input, deps.ids.next(), deps.clock.now(), principal.keyId);
  await deps.stores.staff.create(record);
  await recordAudit(deps, principal, 'staff.add', { type: 'staff', id: record.id }, { department: record.department, after: auditedStaff(record) });
  return record;
}

export async function listStaff(
  deps: CoreDependencies,
  principal: Principal,
  query: { limit: number; cursor?: string },
): Promise<Page<StaffRecord>> {
  authorize(principal, 'staff:manage');
  return deps.stores.staff.list(query.limit, query.cursor);
}

/**
 * They lose access at once; their record stays (marked removed) so the audit log and the
 * broadcasts they made still name them. Removing someone already removed changes and records nothing.
 */
export async function removeStaff(deps: CoreDependencies, principal: Principal, id: string): Promise<StaffRecord> {
  authorize(principal, 'staff:manage');
  const existing = await deps.stores.staff.get(id);
  if (!existing) throw new NotFoundError(`no member of staff ${id}`);
  if (existing.removedAt !== undefined) return existing;
  const at = deps.clock.now().toISOString();
  if (!(await deps.stores.staff.remove(id, at))) throw new NotFoundError(`no member of staff ${id}`);
  const removed = { ...existing, removedAt: at };
  await recordAudit(deps, principal, 'staff.remove', { type: 'staff', id }, { department: existing.department, before: auditedStaff(existing), after: { removedAt: at } });
  return removed;
}
