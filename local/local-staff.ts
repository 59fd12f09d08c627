import { randomBytes } from 'node:crypto';
import type { Principal } from '../shared/domain/model.js';
import { addStaff } from '../shared/staff/manage-staff.js';
import { newStaffSchema } from '../shared/staff/staff-record.js';
import type { CoreDependencies } from '../shared/ports/dependencies.js';

/**
 * The staff `npm start` creates at its first start, one per role the broadcast journey needs.
 * The sender and the approver work in `general`. The operator's department is `*`, as an
 * operator key's must be: operators may act in every department anyway, and with `*` the
 * console's lists (broadcasts, topics) show every department's too, not `general`'s alone.
 */
export const LOCAL_STAFF = [
  { email: 'operator@crier.test', name: 'Olwen Operator', role: 'operator', department: '*' },
  { email: 'sender@crier.test', name: 'Sam Sender', role: 'sender', department: 'general' },
  { email: 'approver@crier.test', name: 'Alys Approver', role: 'approver', department: 'general' },
] as const;

/** Who the audit log says added them. */
const LOCAL_STACK: Principal = { keyId: 'local-stack', name: 'the local stack (first start)', role: 'operator', department: '*', mode: 'live' };

/**
 * Adds LOCAL_STAFF, audited, when crier has no staff at all (not even removed ones): an operator
 * who removed them, or added their own, keeps what they made. True when it added them.
 */
export async function seedLocalStaff(deps: CoreDependencies): Promise<boolean> {
  const { items } = await deps.stores.staff.list(1, undefined);
  if (items.length > 0) return false;
  for (const person of LOCAL_STAFF) await addStaff(deps, LOCAL_STACK, newStaffSchema.parse({ ...person, mode: 'live' }));
  return true;
}

/** A password for the local accounts when CRIER_STAFF_PASSWORD is not set: 96 random bits. */
export function generatedStaffPassword(): string {
  return randomBytes(12).toString('base64url');
}
