import { z } from 'zod';
import { roleSchema } from '../domain/model.js';
import { auditActions } from '../staff/audit-log.js';
import { pageQuery } from './paging.js';

/** The audit log's query and entries. */

const timeBound = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be an ISO timestamp or a day (YYYY-MM-DD)' });

export const auditQuery = pageQuery.extend({
  from: timeBound.optional().meta({ description: 'Inclusive; default 30 days before `to`' }),
  to: timeBound.optional().meta({ description: 'Inclusive; default now' }),
  actor: z.string().trim().min(1).max(64).optional().meta({ description: 'Only what this key or member of staff did (their id)' }),
  action: z.enum(auditActions).optional().meta({ description: 'Only this kind of action, e.g. `inbox.assign`' }),
  department: z.string().trim().min(1).max(40).optional().meta({ description: "Only what concerns this department (the record's own, else its actor's)" }),
});

export const auditEntryResponse = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({ keyId: z.string(), name: z.string(), role: roleSchema, department: z.string() }),
    action: z.enum(auditActions),
    target: z.object({ type: z.string(), id: z.string() }),
    before: z.record(z.string(), z.unknown()).optional(),
    after: z.record(z.string(), z.unknown()).optional(),
    department: z.string().optional().meta({ description: 'The department the change concerns, where it is one department’s' }),
  })
  .meta({ id: 'AuditEntry' });

export const auditResponse = z
  .object({ entries: z.array(auditEntryResponse), cursor: z.string().optional() })
  .meta({ id: 'AuditLog' });
