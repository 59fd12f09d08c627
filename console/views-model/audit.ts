import { z } from 'zod';
import { auditActions, type AuditAction, type AuditEntry } from '../../shared/staff/audit-log.js';
import { localTime } from './format.js';

/** Each action as the audit page names it: what a person did, in words. */
export const auditActionLabels: Record<AuditAction, string> = {
  'topic.create': 'Created a topic',
  'topic.update': 'Changed a topic',
  'topic.archive': 'Archived a topic',
  'inbox.handle': 'Marked a message handled',
  'inbox.reopen': 'Reopened a message',
  'inbox.reply': 'Replied to a resident',
  'inbox.assign': 'Assigned a message',
  'inbox.note': 'Left a note on a message',
  'broadcast.create': 'Created a broadcast',
  'broadcast.submit': 'Submitted a broadcast',
  'broadcast.approve': 'Approved a broadcast',
  'broadcast.reject': 'Rejected a broadcast',
  'broadcast.cancel': 'Stopped a broadcast',
  'department.limits': "Changed a department's limits",
  'subscriber.erase': 'Erased a resident',
  'subscriber.import': 'Imported residents',
  'key.create': 'Created an API key',
  'key.revoke': 'Revoked an API key',
  'key.rotateBootstrap': 'Rotated the bootstrap key',
  'staff.add': 'Added a member of staff',
  'staff.remove': 'Removed a member of staff',
  'staff.change': 'Changed a member of staff',
  'reply.set': "Changed a reply's wording",
  'reply.remove': "Restored a reply's built-in wording",
  'deadLetters.inspect': 'Looked at dead letters',
  'deadLetters.redrive': 'Redrove dead letters',
  'template.create': 'Created a template',
  'template.edit': 'Changed a template',
  'template.archive': 'Archived a template',
};

/** Where an audited thing has a console page of its own, its address. */
const targetPages: Partial<Record<AuditEntry['target']['type'], (id: string) => string>> = {
  inbox: (id) => `/console/inbox/${id}`,
  broadcast: (id) => `/console/broadcasts/${id}`,
  topic: (id) => `/console/topics/${id}`,
  template: (id) => `/console/templates/${id}`,
};

const day = z.iso.date({ error: 'must be a real date, like 2026-03-27' });

/** The audit page's filters, from its query string (so a filtered view can be bookmarked). */
export const auditFilterSchema = z
  .object({
    actor: z.string().trim().max(64, 'must be at most 64 characters').optional(),
    action: z.enum(auditActions, { error: 'must be one of the listed actions' }).optional(),
    department: z.string().trim().max(40, 'must be at most 40 characters').optional(),
    from: day.optional(),
    to: day.optional(),
  })
  .superRefine((filter, ctx) => {
    if (filter.from && filter.to && filter.from > filter.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be the same as or after the from date' });
  });
export type AuditFilter = z.output<typeof auditFilterSchema>;

/** A value of a before or after as a person reads it: yes/no, lists joined, times local, nothing as a dash. */
export function readableValue(value: unknown, timeZone: string): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value) ? localTime(value, timeZone) : value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((one) => readableValue(one, timeZone)).join(', ');
  return JSON.stringify(value);
}

export interface ChangedField {
  field: string;
  before: string;
  after: string;
}

/**
 * The fields a record changed, in the order they first appear: each field of before or after
 * whose value differs (a field only in after was added, only in before was taken away). A record
 * with neither (nothing to compare) has no rows.
 */
export function changedFields(entry: Pick<AuditEntry, 'before' | 'after'>, timeZone: string): ChangedField[] {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => ({ field: fieldLabel(field), before: readableValue(before[field], timeZone), after: readableValue(after[field], timeZone) }));
}

/** `assignedTo` → "Assigned to": the record's own names, spaced as words. */
export function fieldLabel(field: string): string {
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One record as the audit page shows it. */
export function auditRow(entry: AuditEntry, timeZone: string) {
  const page = targetPages[entry.target.type];
  return {
    id: entry.id,
    when: localTime(entry.at, timeZone),
    who: `${entry.actor.name} (${entry.actor.role}, ${entry.actor.department === '*' ? 'every department' : entry.actor.department})`,
    what: auditActionLabels[entry.action],
    department: entry.department ?? (entry.actor.department === '*' ? '—' : entry.actor.department),
    target: `${entry.target.type} ${entry.target.id}`,
    targetHref: page?.(entry.target.id),
    changes: changedFields(entry, timeZone),
  };
}
