import { NotFoundError, ValidationError } from '../domain/errors.js';
import { languages, type Language } from '../domain/language.js';
import { generalDepartment, type Principal } from '../domain/model.js';
import { catalogue, placeholderNames, replyIds, unknownPlaceholders, type ReplyId } from '../domain/replies.js';
import type { InboxEntry } from './inbox-store.js';
import type { Page } from '../ports/page.js';
import { authorize } from '../staff/access.js';
import { recordAudit } from '../staff/audit.js';
import type { CoreDependencies } from '../ports/dependencies.js';

export interface InboxListInput {
  department?: string;
  handled?: boolean;
  topic?: string;
  /** E.164. */
  from?: string;
  broadcastId?: string;
  /** A staff (or key) id. */
  assignedTo?: string;
  /** ISO timestamps, inclusive. */
  receivedFrom?: string;
  receivedTo?: string;
  limit: number;
  cursor?: string;
}

/** A department's inbox, newest first, filtered. A key sees its own department's; an operator names one. */
export async function listInbox(deps: CoreDependencies, principal: Principal, query: InboxListInput): Promise<Page<InboxEntry>> {
  const department = query.department ?? (principal.role === 'operator' ? generalDepartment : principal.department);
  authorize(principal, 'inbox:read', { department });
  return deps.stores.inbox.list({
    department,
    handled: query.handled,
    topicId: query.topic,
    from: query.from,
    broadcastId: query.broadcastId,
    assignedTo: query.assignedTo,
    receivedFrom: query.receivedFrom,
    receivedTo: query.receivedTo,
    limit: query.limit,
    cursor: query.cursor,
  });
}

/**
 * Marks a resident's message handled, saying who and when. Marking it again changes nothing and
 * records nothing: the first who and when stay.
 */
export async function markInboxHandled(deps: CoreDependencies, principal: Principal, id: string): Promise<InboxEntry> {
  const entry = await deps.stores.inbox.get(id);
  if (!entry) throw new NotFoundError(`no inbox message ${id}`);
  authorize(principal, 'inbox:handle', { department: entry.department });
  const result = await deps.stores.inbox.markHandled(id, principal.keyId, deps.clock.now().toISOString());
  if (!result) throw new NotFoundError(`no inbox message ${id}`);
  if (result.changed) {
    await recordAudit(deps, principal, 'inbox.handle', { type: 'inbox', id }, {
      department: entry.department,
      before: { handled: false },
      after: { handled: true, handledAt: result.entry.handledAt, handledBy: result.entry.handledBy },
    });
  }
  return result.entry;
}

export interface ReplyTextView {
  language: Language;
  id: ReplyId;
  /** The built-in text as a template, e.g. `You're subscribed to {{topicName}}.` */
  builtIn: string;
  override: string | undefined;
}

/** Every reply in every language: the built-in wording and the operator's, if any. */
export async function listReplyTexts(deps: CoreDependencies, principal: Principal): Promise<ReplyTextView[]> {
  authorize(principal, 'replies:read');
  const overrides = await deps.stores.replyTexts.overrides();
  return languages.flatMap((language) =>
    replyIds.map((id) => ({ language, id, builtIn: builtInTemplate(language, id), override: overrides[language]?.[id] })),
  );
}

/** Sets (or with undefined, removes) the operator's wording of one reply in one language. */
export async function setReplyText(
  deps: CoreDependencies,
  principal: Principal,
  language: Language,
  id: ReplyId,
  text: string | undefined,
): Promise<void> {
  authorize(principal, 'replies:write');
  if (text !== undefined) {
    const unknown = unknownPlaceholders({ [language]: { [id]: text } });
    if (unknown.length > 0) {
      throw new ValidationError(
        'the text uses placeholders crier does not know',
        unknown.map(({ name }) => ({ field: 'text', message: `{{${name}}} is not one of ${placeholderNames.map((n) => `{{${n}}}`).join(', ')}` })),
      );
    }
  }
  const before = (await deps.stores.replyTexts.overrides())[language]?.[id];
  await deps.stores.replyTexts.setOverride(language, id, text);
  await recordAudit(deps, principal, text === undefined ? 'reply.remove' : 'reply.set', { type: 'reply', id: `${language}/${id}` }, {
    ...(before === undefined ? {} : { before: { text: before } }),
    ...(text === undefined ? {} : { after: { text } }),
  });
}

/** The built-in text with its placeholders showing, for an operator to copy and change. */
function builtInTemplate(language: Language, id: ReplyId): string {
  const placeholder = (name: string) => `{{${name}}}`;
  return catalogue[language][id]({
    serviceName: placeholder('serviceName'),
    contact: placeholder('contact'),
    topicName: placeholder('topicName'),
    topicNames: [placeholder('topicNames')],
    keywords: [placeholder('keywords')],
    subscribedNames: [placeholder('subscribedNames')],
    word: placeholder('word'),
    area: placeholder('area'),
    language,
    band: placeholder('band'),
  });
}
