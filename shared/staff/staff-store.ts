import type { Page } from '../ports/page.js';
import type { StaffRecord } from './staff-record.js';

/**
 * Primitive reads and conditional writes; every rule is in the use cases and staff-record.ts.
 * A removed person's record is kept (with `removedAt`) but no longer found by email or subject,
 * so their email may be given to someone added later.
 */
export interface StaffStore {
  /**
   * Stores a new record unless a current record holds its email (or subject): ConflictError
   * naming it. Replaying it with the same record is harmless, and a failure part-way never leaves
   * a person who can be found by email but not listed or removed.
   */
  create(record: StaffRecord): Promise<void>;
  get(id: string): Promise<StaffRecord | undefined>;
  /** A current record by its (lower-cased) email. */
  findByEmail(email: string): Promise<StaffRecord | undefined>;
  /** A current record by the identity provider's subject. */
  findBySubject(subject: string): Promise<StaffRecord | undefined>;
  /** Records in id order (ids sort by creation), removed ones included. */
  list(limit: number, cursor: string | undefined): Promise<Page<StaffRecord>>;
  /**
   * Binds the identity provider's subject to a current record that has none (their first
   * sign-in); returns the record as it now is, or undefined when it is gone, removed, already
   * bound to another subject, or the subject is another current record's.
   */
  bindSubject(id: string, subject: string): Promise<StaffRecord | undefined>;
  /**
   * Sets a current record's department, role and mode (a person changed in place); returns the
   * record as it now is, or undefined when it is gone or removed. Email and subject stay, so the
   * person signs in as before and has the new access from their next request.
   */
  change(id: string, fields: Pick<StaffRecord, 'department' | 'role' | 'mode'>): Promise<StaffRecord | undefined>;
  /** Marks the record removed and frees its email and subject; false when there is no such record. */
  remove(id: string, at: string): Promise<boolean>;
}
