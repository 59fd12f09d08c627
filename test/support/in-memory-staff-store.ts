import { ConflictError } from '../../shared/domain/errors.js';
import type { Page } from '../../shared/ports/page.js';
import { decodeStaffCursor, encodeStaffCursor } from '../../shared/staff/staff-cursor.js';
import { staffEmailTaken, staffSubjectTaken, type StaffRecord } from '../../shared/staff/staff-record.js';
import type { StaffStore } from '../../shared/staff/staff-store.js';

/** The DynamoDB store's behaviour in a map; the same contract suite runs against both. */
export class InMemoryStaffStore implements StaffStore {
  readonly records = new Map<string, StaffRecord>();

  async create(record: StaffRecord): Promise<void> {
    const holder = (taken: (other: StaffRecord) => boolean) =>
      [...this.records.values()].find((other) => other.id !== record.id && other.removedAt === undefined && taken(other));
    if (holder((other) => other.email === record.email)) throw new ConflictError(staffEmailTaken(record.email));
    if (record.subject !== undefined && holder((other) => other.subject === record.subject)) {
      throw new ConflictError(staffSubjectTaken(record.subject));
    }
    this.records.set(record.id, structuredClone(record));
  }

  async get(id: string): Promise<StaffRecord | undefined> {
    return structuredClone(this.records.get(id));
  }

  async findByEmail(email: string): Promise<StaffRecord | undefined> {
    return this.current((record) => record.email === email);
  }

  async findBySubject(subject: string): Promise<StaffRecord | undefined> {
    return this.current((record) => record.subject === subject);
  }

  async list(limit: number, cursor: string | undefined): Promise<Page<StaffRecord>> {
    const after = cursor === undefined ? undefined : decodeStaffCursor(cursor);
    const ids = [...this.records.keys()].sort().filter((id) => after === undefined || id > after);
    const items = ids.slice(0, limit).map((id) => structuredClone(this.records.get(id)!));
    return { items, cursor: ids.length > limit ? encodeStaffCursor(ids[limit - 1]!) : undefined };
  }

  async bindSubject(id: string, subject: string): Promise<StaffRecord | undefined> {
    const record = this.records.get(id);
    if (!record || record.removedAt !== undefined) return undefined;
    if (record.subject !== undefined) return record.subject === subject ? structuredClone(record) : undefined;
    if ([...this.records.values()].some((other) => other.removedAt === undefined && other.subject === subject)) return undefined;
    record.subject = subject;
    return structuredClone(record);
  }

  async change(id: string, fields: Pick<StaffRecord, 'department' | 'role' | 'mode'>): Promise<StaffRecord | undefined> {
    const record = this.records.get(id);
    if (!record || record.removedAt !== undefined) return undefined;
    const changed = { ...record, department: fields.department, role: fields.role, mode: fields.mode };
    this.records.set(id, changed);
    return structuredClone(changed);
  }

  async remove(id: string, at: string): Promise<boolean> {
    const record = this.records.get(id);
    if (!record) return false;
    this.records.set(id, { ...record, removedAt: record.removedAt ?? at });
    return true;
  }

  private current(matches: (record: StaffRecord) => boolean): StaffRecord | undefined {
    return structuredClone([...this.records.values()].find((record) => record.removedAt === undefined && matches(record)));
  }
}
