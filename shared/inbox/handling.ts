import { NotFoundError } from '../domain/errors.js';
import { generalDepartment, type Principal } from '../domain/model.js';
import type { InboxEntry } from './inbox-store.js';
import { authorize } from '../staff/access.js';
import { recordAudit } from '../staff/audit.js';
import type { CoreDependencies } from '../ports/dependencies.js';

/**
 * Opens a handled entry again, for a resident who needs more. Reopening an open one changes
 * nothing and records nothing; otherwise the audit log keeps who had handled it, and when.
 */
export async function reopenInboxEntry(deps: CoreDependencies, principal: Principal, id: string): Promise<InboxEntry> {
  const entry = await deps.stores.inbox.get(id);
  if (!entry) throw new NotFoundError(`no inbox message ${id}`);
  authorize(principal, 'inbox:handle', { department: entry.department });
  const result = await deps.stores.inbox.reopen(id);
  if (!result) throw new NotFoundError(`no inbox message ${id}`);
  if (result.changed) {
    await recordAudit(deps, principal, 'inbox.reopen', { type: 'inbox', id }, {
      department: entry.department,
      before: { handled: true, handledAt: entry.handledAt, handledBy: entry.handledBy },
      after: { handled: false },
    });
  }
  return result.entry;
}

/** How many entries the navigation's count looks at: one read, whatever the inbox's size. */
export const UNHANDLED_COUNT_WITHIN = 500;

/** The department whose inbox a person sees: their own; an operator's is general's unless they name one. */
export function inboxDepartmentOf(principal: Principal, asked?: string): string {
  return asked ?? (principal.role === 'operator' ? generalDepartment : principal.department);
}

/** The unhandled messages in the person's department's inbox, for the navigation: one store read. */
export async function unhandledCount(deps: CoreDependencies, principal: Principal, department = inboxDepartmentOf(principal)): Promise<{ count: number; more: boolean }> {
  authorize(principal, 'inbox:read', { department });
  return deps.stores.inbox.countUnhandled(department, UNHANDLED_COUNT_WITHIN);
}
