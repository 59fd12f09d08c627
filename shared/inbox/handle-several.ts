import { NotFoundError } from '../domain/errors.js';
import type { Principal } from '../domain/model.js';
import type { InboxEntry } from './inbox-store.js';
import { authorize } from '../staff/access.js';
import type { CoreDependencies } from '../ports/dependencies.js';
import { markInboxHandled } from './inbox-and-reply-texts.js';
import { reopenInboxEntry } from './handling.js';

/**
 * Marks several messages handled (or reopens them) at once. Every one is found and checked first,
 * so a message of another department, or one that does not exist, refuses the whole request and
 * nothing is changed; then each goes through the one-message use case, which audits it.
 */
export async function setSeveralHandled(deps: CoreDependencies, principal: Principal, ids: readonly string[], handled: boolean): Promise<InboxEntry[]> {
  const unique = [...new Set(ids)];
  const entries = await Promise.all(unique.map((id) => deps.stores.inbox.get(id)));
  entries.forEach((entry, index) => {
    if (!entry) throw new NotFoundError(`no inbox message ${unique[index]}`);
    authorize(principal, 'inbox:handle', { department: entry.department });
  });
  const done: InboxEntry[] = [];
  for (const id of unique) done.push(handled ? await markInboxHandled(deps, principal, id) : await reopenInboxEntry(deps, principal, id));
  return done;
}
