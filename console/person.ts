import type { Principal, Role } from '../shared/domain/model.js';
import type { StaffSession } from '../shared/staff/session.js';
import type { StaffRecord } from '../shared/staff/staff-record.js';

/** Who is signed in, for one request: their record, their session, and the principal the use cases check. */
export interface SignedInPerson {
  staff: StaffRecord;
  session: StaffSession;
  /**
   * As an API key's principal, so the same rules decide what they may do; `keyId` is the staff
   * record's id, so the audit log and the two-person rule name the person.
   */
  principal: Principal;
}

const roleLabels: Record<Role, string> = { operator: 'Operator', approver: 'Approver', sender: 'Sender', viewer: 'Viewer' };

export function principalOf(staff: StaffRecord): Principal {
  return { keyId: staff.id, name: staff.name, role: staff.role, department: staff.department, mode: staff.mode };
}

/** What the page header shows of the person. */
export function personView(person: SignedInPerson) {
  const { name, role, department, mode, email } = person.staff;
  return { name, email, role, roleLabel: roleLabels[role], department: department === '*' ? 'all departments' : department, mode };
}
