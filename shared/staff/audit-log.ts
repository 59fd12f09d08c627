import type { Role } from '../domain/model.js';
import type { Page } from '../ports/page.js';

/**
 * The audit log of what staff and keys did: an append-only record per admin action, read back
 * by the console's audit page and the admin API.
 */

export const auditActions = [
  'topic.create',
  'topic.update',
  'topic.archive',
  'inbox.handle',
  'inbox.reopen',
  'inbox.reply',
  'inbox.assign',
  'inbox.note',
  'broadcast.create',
  'broadcast.submit',
  'broadcast.approve',
  'broadcast.reject',
  'broadcast.cancel',
  'department.limits',
  'subscriber.erase',
  'subscriber.import',
  'key.create',
  'key.revoke',
  'key.rotateBootstrap',
  'staff.add',
  'staff.change',
  'staff.remove',
  'template.create',
  'template.edit',
  'template.archive',
  'reply.set',
  'reply.remove',
  'deadLetters.inspect',
  'deadLetters.redrive',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** One append-only record of an admin action: who, what, when, and the state before and after. */
export interface AuditEntry {
  id: string;
  at: string;
  actor: { keyId: string; name: string; role: Role; department: string };
  action: AuditAction;
  target: {
    type: 'topic' | 'broadcast' | 'subscriber' | 'subscriberImport' | 'key' | 'staff' | 'reply' | 'inbox' | 'department' | 'queue' | 'template';
    id: string;
  };
  /** Never a secret: no key, no key hash. Absent when the thing did not exist before. */
  before: Record<string, unknown> | undefined;
  after: Record<string, unknown> | undefined;
  /** The department the change concerns, where it is one department's (an inbox entry's); else the actor's is meant. */
  department?: string;
}

export interface AuditQuery {
  /** ISO timestamps, both inclusive. */
  from: string;
  to: string;
  /** Only records by this key or person (their id). */
  actor?: string;
  action?: AuditAction;
  /** Only records concerning this department: the record's own, else its actor's. */
  department?: string;
  limit: number;
  cursor: string | undefined;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(query: AuditQuery): Promise<Page<AuditEntry>>;
}
