import { z } from 'zod';
import { keyModeSchema, roleSchema, type KeyMode, type Role } from '../domain/model.js';

/**
 * A member of staff: a person with a department and a role, live or test as keys are. The identity
 * provider only says who someone is (its `sub`, their email); this record says what they may do.
 * `subject` is the identity provider's `sub`, unknown until their first sign-in.
 */
export interface StaffRecord {
  id: string;
  /** Lower-cased: the one spelling under which a person is found and kept unique. */
  email: string;
  name: string;
  department: string;
  role: Role;
  mode: KeyMode;
  subject?: string;
  createdAt: string;
  /** The key (or, later, the person) who added them. */
  createdBy: string;
  /** Set when they were removed: the record stays, so the audit log and broadcasts still name them. */
  removedAt?: string;
}

/** An email address as staff are found by: trimmed, lower-cased, and a real address. */
export const staffEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('must be an email address').max(254, 'must be at most 254 characters'))
  .meta({ description: 'The address the identity provider knows them by; kept lower-cased' });

/** As a key's department: the same names reach the same topics. */
export const staffDepartmentSchema = z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters');

/** What is needed to add someone; the rest (id, times, who added them) crier fills in. */
export const newStaffSchema = z
  .object({
    email: staffEmailSchema,
    name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters').meta({ description: 'Their name as colleagues know it' }),
    department: staffDepartmentSchema.meta({ description: 'The department whose work they do' }),
    role: roleSchema,
    mode: keyModeSchema.default('live').meta({ description: "Test staff work with test data only, as test keys do" }),
    subject: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(255)
      .optional()
      .meta({ description: "The identity provider's subject (`sub`), when known before their first sign-in" }),
  })
  .strict();

export type NewStaff = z.output<typeof newStaffSchema>;

/** The record of a person being added: pure, so the rule is the same in every adapter and test. */
export function newStaffRecord(input: NewStaff, id: string, at: Date, createdBy: string): StaffRecord {
  return {
    id,
    email: staffEmailSchema.parse(input.email),
    name: input.name,
    department: input.department,
    role: input.role,
    mode: input.mode,
    ...(input.subject === undefined ? {} : { subject: input.subject }),
    createdAt: at.toISOString(),
    createdBy,
  };
}

/** Whether the record still gives its person any access. */
export function isCurrent(record: StaffRecord): boolean {
  return record.removedAt === undefined;
}

/** What the audit log keeps of a staff change: who it is about, never more. */
export function auditedStaff(record: StaffRecord): Record<string, unknown> {
  const { id, email, name, department, role, mode, removedAt } = record;
  return { id, email, name, department, role, mode, ...(removedAt === undefined ? {} : { removedAt }) };
}

/** The refusals of a second record with the same email or subject (both adapters say the same). */
export const staffEmailTaken = (email: string) => `a member of staff already has the email address ${email}`;
export const staffSubjectTaken = (subject: string) => `a member of staff already has the identity provider's subject ${subject}`;
