import { z } from 'zod';
import { ConflictError, ForbiddenError } from '../domain/errors.js';
import { keyModeSchema, roleSchema, type Principal } from '../domain/model.js';
import { staffDepartmentSchema, type StaffRecord } from './staff-record.js';

/** The department that reaches every department: the deployment's own operators'. */
export const everyDepartment = '*';

/** What may be changed of a person in place (`PATCH /v1/staff/{id}`): any of the three, at least one. */
export const staffChangeSchema = z
  .object({
    department: staffDepartmentSchema.optional().meta({ description: 'The department whose work they do; `*` for every department' }),
    role: roleSchema.optional(),
    mode: keyModeSchema.optional().meta({ description: 'Test staff work with test data only, as test keys do' }),
  })
  .strict()
  .refine((change) => Object.values(change).some((value) => value !== undefined), { message: 'must change the department, the role or live or test' });

export type StaffChange = z.output<typeof staffChangeSchema>;

/**
 * Whether this operator's team includes the person. An operator of every department (`*`) manages
 * everyone; a department's own operator manages their department's people and no one else's, so
 * a council can hand a department its own team without handing it the others'.
 */
export function managesTeamOf(principal: Principal, department: string): boolean {
  return principal.department === everyDepartment || principal.department === department;
}

/** Refuses (403) a person outside this operator's team, in words they can act on. */
export function refuseOutsideTeam(principal: Principal, record: Pick<StaffRecord, 'department'>): void {
  if (managesTeamOf(principal, record.department)) return;
  throw new ForbiddenError(`you manage the team of department "${principal.department}" only, and this person is in ${departmentWords(record.department)}`);
}

/**
 * Refuses (403) putting someone in a department this operator does not manage: a department's
 * operator can neither grant every department (`*`) nor another department.
 */
export function refuseGrant(principal: Principal, department: string): void {
  if (managesTeamOf(principal, department)) return;
  throw new ForbiddenError(
    `you manage the team of department "${principal.department}" only, so you cannot put anyone in ${departmentWords(department)}`,
  );
}

/** Whether the record is one of the people who keep the deployment administrable: a current, live operator of every department. */
export function isDeploymentOperator(record: StaffRecord): boolean {
  return record.removedAt === undefined && record.role === 'operator' && record.mode === 'live' && record.department === everyDepartment;
}

/**
 * Refuses (409) a change or removal that would lock the deployment out of its own console, or
 * take the person's own access away under them: nobody changes or removes themselves (another
 * operator must), and the last live operator of every department stays one.
 */
export function refuseLosingAccess(
  actorId: string,
  before: StaffRecord,
  after: StaffRecord | 'removed',
  deploymentOperators: number,
): void {
  const what = after === 'removed' ? 'remove' : 'change';
  if (before.id === actorId) {
    throw new ConflictError(`you cannot ${what} yourself: another operator must ${what === 'remove' ? 'remove you' : 'change your role, department or mode'}`);
  }
  const stillOne = after !== 'removed' && isDeploymentOperator(after);
  if (isDeploymentOperator(before) && !stillOne && deploymentOperators <= 1) {
    throw new ConflictError(
      `${before.name} is the last live operator of every department: add another before you ${what === 'remove' ? 'remove them' : 'change them'}, or nobody could manage the team`,
    );
  }
}

/** The person as they would be after the change: pure, so the rules see exactly what will be stored. */
export function changedStaff(record: StaffRecord, change: StaffChange): StaffRecord {
  return {
    ...record,
    department: change.department ?? record.department,
    role: change.role ?? record.role,
    mode: change.mode ?? record.mode,
  };
}

function departmentWords(department: string): string {
  return department === everyDepartment ? 'every department ("*")' : `department "${department}"`;
}
