import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Principal } from '../domain/model.js';
import type { InboxEntry } from '../ports/stores.js';
import { authorize } from '../usecases/access.js';
import { recordAudit } from '../usecases/audit.js';
import type { InboxReplyDependencies } from './inbox-dependencies.js';
import { replyBodySchema, replyRefusal, replyRefusalSentences } from './reply-rules.js';

/**
 * Staff's free-text reply to the resident of an inbox entry. It goes out as every reply to a
 * resident does: a reply job on the urgent lane, which the sender paces to the provider's rate,
 * checks against opt-outs once more (a STOP that lands after this is still obeyed), records in
 * the message store and costs to the entry's department. Refused, with the reason in a sentence,
 * when the rules say no (reply-rules.ts). The audit log names the entry and the message, never
 * the number or the words (the entry keeps those, for as long as the retention schedule says).
 */
export async function replyToResident(
  deps: InboxReplyDependencies,
  principal: Principal,
  id: string,
  body: string,
  options: { token?: string } = {},
): Promise<InboxEntry> {
  const parsed = replyBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError('the reply is invalid', parsed.error.issues.map((issue) => ({ field: 'body', message: issue.message })));
  }
  const entry = await deps.stores.inbox.get(id);
  if (!entry) throw new NotFoundError(`no inbox message ${id}`);
  authorize(principal, 'inbox:reply', { department: entry.department });
  const now = deps.clock.now();
  const refusal = replyRefusal(entry, await deps.stores.subscribers.getProfile(entry.from), now);
  if (refusal) throw new ConflictError(replyRefusalSentences[refusal]);

  // A one-use token (the console's form carries one) names the reply: a double click, or the form
  // sent again, is the same message id, which the sender claims once and the entry records once.
  const messageId = replyMessageId(id, options.token ?? deps.ids.next());
  if (entry.replies?.some((reply) => reply.messageId === messageId)) return entry;
  const at = now.toISOString();
  // Queued first: what matters is that the resident gets it. A failure after this leaves a sent
  // reply that the message store records but the entry does not show, never one shown but unsent.
  await deps.replies.send([
    {
      kind: 'reply',
      messageId,
      to: entry.from,
      channel: entry.channel,
      body: parsed.data,
      purpose: 'answer',
      department: entry.department,
      // From the number or address the resident wrote to, as crier's own answers go (replySenderOf).
      ...(entry.to === undefined ? {} : { from: entry.to }),
    },
  ]);
  const result = await deps.stores.inbox.addReply(id, { messageId, body: parsed.data, at, by: principal.keyId });
  if (!result) throw new NotFoundError(`no inbox message ${id}`);
  if (result.added) {
    await recordAudit(deps, principal, 'inbox.reply', { type: 'inbox', id }, { department: entry.department, after: { messageId, channel: entry.channel, characters: parsed.data.length } });
  }
  return result.entry;
}

/** What a reply token looks like: the console's form makes one per rendering. */
export const replyTokenPattern = /^[A-Za-z0-9_-]{8,64}$/;

/** The reply's message id: per entry, so a token used on one entry never stands for a reply to another. */
export function replyMessageId(entryId: string, token: string): string {
  return `inbox-reply-${entryId}-${token}`;
}
