import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { Principal } from '../domain/model.js';
import type { InboxEntry } from './inbox-store.js';
import { authorize } from '../staff/access.js';
import { recordAudit } from '../staff/audit.js';
import type { CoreDependencies } from '../ports/dependencies.js';
import { noteTextSchema } from './request-schemas.js';


/**
 * Leaves a note on a resident's message for colleagues: kept with the entry, shown in the
 * conversation in order, never sent to the resident, erased with the entry's words. The audit log
 * says a note was left and how long it is, never its words (it may quote the resident).
 */
export async function addInboxNote(deps: CoreDependencies, principal: Principal, id: string, text: string): Promise<InboxEntry> {
  const parsed = noteTextSchema.safeParse(text);
  if (!parsed.success) throw new ValidationError('the note is invalid', parsed.error.issues.map((issue) => ({ field: 'text', message: issue.message })));
  const entry = await deps.stores.inbox.get(id);
  if (!entry) throw new NotFoundError(`no inbox message ${id}`);
  authorize(principal, 'inbox:handle', { department: entry.department });
  const note = { id: deps.ids.next(), text: parsed.data, at: deps.clock.now().toISOString(), by: principal.keyId };
  const updated = await deps.stores.inbox.addNote(id, note);
  if (!updated) throw new NotFoundError(`no inbox message ${id}`);
  await recordAudit(deps, principal, 'inbox.note', { type: 'inbox', id }, { department: entry.department, after: { noteId: note.id, characters: note.text.length } });
  return updated;
}
