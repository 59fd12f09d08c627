import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { Principal } from '../domain/model.js';
import type { InboxEntry } from './inbox-store.js';
import type { StaffRecord } from '../staff/staff-record.js';
import { authorize } from '../staff/access.js';
import { recordAudit } from '../staff/audit.js';
import type { CoreDependencies } from '../ports/dependencies.js';

/** How many staff records the choice of colleagues reads at most: a deployment's staff are a few hundred. */
const STAFF_READ_LIMIT = 1000;

/**
 * The colleagues an entry of this department can be assigned to: its current staff who may handle
 * the inbox (viewers may not), live or test as the person asking is, by name. Read by whoever may
 * handle the department's inbox, so the choice never needs `staff:manage`.
 */
export async function assignableStaff(deps: CoreDependencies, principal: Principal, department: string): Promise<StaffRecord[]> {
  authorize(principal, 'inbox:handle', { department });
  const found: StaffRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.stores.staff.list(200, cursor);
    found.push(...page.items);
    cursor = page.cursor;
  } while (cursor && found.length < STAFF_READ_LIMIT);
  return found
    .filter((staff) => staff.removedAt === undefined && staff.department === department && staff.role !== 'viewer' && staff.mode === principal.mode)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Assigns a resident's message to a colleague of its department (undefined: to nobody). Refused,
 * naming the field, for anyone else. The audit log keeps who it was assigned to before and after
 * (staff ids, never the resident's number or words); assigning it to whom it already is changes nothing.
 */
export async function assignInboxEntry(deps: CoreDependencies, principal: Principal, id: string, assignee: string | undefined): Promise<InboxEntry> {
  const entry = await deps.stores.inbox.get(id);
  if (!entry) throw new NotFoundError(`no inbox message ${id}`);
  authorize(principal, 'inbox:handle', { department: entry.department });
  if (assignee !== undefined && !(await assignableStaff(deps, principal, entry.department)).some((staff) => staff.id === assignee)) {
    throw new ValidationError('the assignee is invalid', [{ field: 'assignee', message: `must be a member of staff of ${entry.department} who may handle its inbox` }]);
  }
  if (entry.assignedTo === assignee) return entry;
  const result = await deps.stores.inbox.assign(id, assignee);
  if (!result) throw new NotFoundError(`no inbox message ${id}`);
  await recordAudit(deps, principal, 'inbox.assign', { type: 'inbox', id }, {
    department: entry.department,
    before: { assignedTo: result.before ?? null },
    after: { assignedTo: assignee ?? null },
  });
  return result.entry;
}
