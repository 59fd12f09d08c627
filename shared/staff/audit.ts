import { ValidationError } from '../domain/errors.js';
import type { Principal } from '../domain/model.js';
import type { AuditAction, AuditEntry } from './audit-log.js';
import type { Page } from '../ports/page.js';
import type { WithSubscribers } from '../ports/stores.js';
import { authorize } from './access.js';
import type { CoreDependencies } from '../ports/dependencies.js';

/** How far back the audit log is read when the caller names no start. */
const DEFAULT_DAYS = 30;
/** The widest window one request may read: each day is one partition to query. */
const MAX_DAYS = 366;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Appends one record of an admin action. Called by the use cases after the action succeeded, so
 * the log never claims something that did not happen. `before`/`after` must carry no secret.
 */
export async function recordAudit(
  deps: WithSubscribers<CoreDependencies, unknown>,
  principal: Principal,
  action: AuditAction,
  target: AuditEntry['target'],
  change: { before?: Record<string, unknown>; after?: Record<string, unknown>; department?: string },
): Promise<void> {
  await deps.stores.audit.record({
    id: deps.ids.next(),
    at: deps.clock.now().toISOString(),
    actor: { keyId: principal.keyId, name: principal.name, role: principal.role, department: principal.department },
    action,
    target,
    before: change.before,
    after: change.after,
    ...(change.department === undefined ? {} : { department: change.department }),
  });
}

export interface AuditListInput {
  /** ISO timestamps or days (`2025-03-01`), inclusive. */
  from?: string;
  to?: string;
  /** Only records by this key or person (their id). */
  actor?: string;
  action?: AuditAction;
  department?: string;
  limit: number;
  cursor?: string;
}

/** The audit log, newest first: operators only. */
export async function listAudit(deps: CoreDependencies, principal: Principal, input: AuditListInput): Promise<Page<AuditEntry>> {
  authorize(principal, 'audit:read');
  const to = input.to ? boundary(input.to, 'end') : deps.clock.now().toISOString();
  const from = input.from ? boundary(input.from, 'start') : new Date(Date.parse(to) - DEFAULT_DAYS * DAY_MS).toISOString();
  if (from > to) throw new ValidationError('the window is empty', [{ field: 'from', message: 'must not be after to' }]);
  if (Date.parse(to) - Date.parse(from) > MAX_DAYS * DAY_MS) {
    throw new ValidationError('the window is too wide', [{ field: 'from', message: `must be at most ${MAX_DAYS} days before to` }]);
  }
  return deps.stores.audit.list({
    from,
    to,
    limit: input.limit,
    cursor: input.cursor,
    ...(input.actor === undefined ? {} : { actor: input.actor }),
    ...(input.action === undefined ? {} : { action: input.action }),
    ...(input.department === undefined ? {} : { department: input.department }),
  });
}

/** A bare day stands for its first or last millisecond (UTC). */
function boundary(value: string, side: 'start' | 'end'): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T${side === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
  return new Date(value).toISOString();
}
