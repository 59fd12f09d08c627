import type { KeyMode, Role } from '../../shared/domain/model.js';
import type { StaffRecord } from '../../shared/staff/staff-record.js';
import { isCurrent } from '../../shared/staff/staff-record.js';
import { localTime } from './format.js';

/** Each role as the team page names it, with what it may do in a line (access.ts is the rule). */
export const roleOptions: Record<Role, { label: string; hint: string }> = {
  sender: { label: 'Sender', hint: "Writes and sends broadcasts on their department's topics, and answers its inbox." },
  approver: { label: 'Approver', hint: "Approves or rejects broadcasts that need a second person, and looks after the department's topics." },
  viewer: { label: 'Viewer', hint: 'Reads broadcasts, topics and the inbox; changes nothing.' },
  operator: { label: 'Operator', hint: "Council IT: everything, including the team and API keys; an operator of one department manages that department's team only." },
};

export const modeOptions: Record<KeyMode, { label: string; hint: string }> = {
  live: { label: 'Live', hint: 'Works with real residents and sends real messages.' },
  test: { label: 'Test', hint: 'Sees and changes test data only; its broadcasts only reach the sandbox.' },
};

/** A department as a person reads it: `*` is every department (operators). */
export function departmentLabel(department: string): string {
  return department === '*' ? 'All departments' : department;
}

/** One row of the team table; `youId`: the person signed in, who is offered no change or removal of themselves. */
export function staffRow(record: StaffRecord, timeZone: string, youId?: string) {
  const actionable = isCurrent(record) && record.id !== youId;
  return {
    id: record.id,
    name: record.name,
    email: record.email,
    department: departmentLabel(record.department),
    role: roleOptions[record.role].label,
    mode: modeOptions[record.mode].label,
    current: isCurrent(record),
    status: record.removedAt === undefined ? 'Current' : `Removed ${localTime(record.removedAt, timeZone)}`,
    isYou: record.id === youId,
    changeHref: actionable ? `/console/team/${record.id}/change` : undefined,
    removeHref: actionable ? `/console/team/${record.id}/remove` : undefined,
  };
}

/** Current people first (as they were added), then those removed: the table reads as the team today. */
export function teamRows(records: readonly StaffRecord[], timeZone: string, youId?: string) {
  return [...records.filter(isCurrent), ...records.filter((record) => !isCurrent(record))].map((record) => staffRow(record, timeZone, youId));
}
