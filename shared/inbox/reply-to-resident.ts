import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { ReplySendJob } from '../domain/jobs.js';
import { parsePlaceholders, whatsappLanguageCodes } from '../domain/message-content.js';
import type { Principal, SubscriberProfile } from '../domain/model.js';
import type { InboxEntry } from './inbox-store.js';
import { getTemplate } from '../templates/manage-templates.js';
import { templatePlaceholders } from '../templates/placeholders.js';
import { textIn, type MessageTemplate } from '../templates/template.js';
import { authorize } from '../staff/access.js';
import { recordAudit } from '../staff/audit.js';
import type { WithSubscribers } from '../ports/stores.js';
import type { ProfileStore } from '../residents/profile-store.js';
import type { InboxReplyDependencies } from './inbox-dependencies.js';
import { replyBodySchema, replyDecision, replyRefusalSentences } from './reply-rules.js';

/** What staff reply with: their own words, or a saved template of the message's department. */
export type ReplyInput = string | { templateId: string };

/**
 * Staff's reply to the resident of an inbox entry: free text, or a saved template (its text in
 * the resident's language; on WhatsApp outside the 24-hour window, its WhatsApp template). It
 * goes out as every reply to a resident does: a reply job on the urgent lane, which the sender
 * paces to the provider's rate, checks against opt-outs once more (a STOP that lands after this
 * is still obeyed), records in the message store and costs to the entry's department. Refused,
 * with the reason in a sentence, when the rules say no (reply-rules.ts). The audit log names the
 * entry, the message and any template, never the number or the words (the entry keeps those,
 * for as long as the retention schedule says).
 */
export async function replyToResident(
  deps: WithSubscribers<InboxReplyDependencies, ProfileStore>,
  principal: Principal,
  id: string,
  input: ReplyInput,
  options: { token?: string } = {},
): Promise<InboxEntry> {
  const typed = typeof input === 'string' ? checkedBody(input, 'body') : undefined;
  const entry = await deps.stores.inbox.get(id);
  if (!entry) throw new NotFoundError(`no inbox message ${id}`);
  authorize(principal, 'inbox:reply', { department: entry.department });
  const template = typeof input === 'string' ? undefined : await templateFor(deps, principal, entry, input.templateId);
  const now = deps.clock.now();
  const profile = await deps.stores.subscribers.getProfile(entry.from);
  const decision = replyDecision(entry, profile, now, template && { whatsappTemplate: template.whatsappTemplate !== undefined });
  if ('refused' in decision) throw new ConflictError(replyRefusalSentences[decision.refused]);
  const body = typed ?? checkedBody(textIn(template!, profile?.language), 'templateId');
  const whatsappTemplate = decision.send === 'whatsappTemplate' ? whatsappFallback(template!, profile) : undefined;

  // A one-use token (the console's form carries one) names the reply: a double click, or the form
  // sent again, is the same message id, which the sender claims once and the entry records once.
  const messageId = replyMessageId(id, options.token ?? deps.ids.next());
  if (entry.replies?.some((reply) => reply.messageId === messageId)) return entry;
  const at = now.toISOString();
  const job: ReplySendJob = {
    kind: 'reply',
    messageId,
    to: entry.from,
    channel: entry.channel,
    body,
    purpose: 'answer',
    department: entry.department,
    // From the number or address the resident wrote to, as crier's own answers go (replySenderOf).
    ...(entry.to === undefined ? {} : { from: entry.to }),
    ...(whatsappTemplate ? { template: whatsappTemplate } : {}),
  };
  // Queued first: what matters is that the resident gets it. A failure after this leaves a sent
  // reply that the message store records but the entry does not show, never one shown but unsent.
  await deps.replies.send([job]);
  const result = await deps.stores.inbox.addReply(id, { messageId, body, at, by: principal.keyId });
  if (!result) throw new NotFoundError(`no inbox message ${id}`);
  if (result.added) {
    await recordAudit(deps, principal, 'inbox.reply', { type: 'inbox', id }, {
      department: entry.department,
      after: {
        messageId,
        channel: entry.channel,
        characters: body.length,
        ...(template ? { templateId: template.id, templateVersion: template.version, asWhatsappTemplate: whatsappTemplate !== undefined } : {}),
      },
    });
  }
  return result.entry;
}

/** What a reply token looks like: the console's form makes one per rendering. */
export const replyTokenPattern = /^[A-Za-z0-9_-]{8,64}$/;

/** The reply's message id: per entry, so a token used on one entry never stands for a reply to another. */
export function replyMessageId(entryId: string, token: string): string {
  return `inbox-reply-${entryId}-${token}`;
}

/** A reply's words by a reply's rules; refused naming the field they came from. */
function checkedBody(text: string, field: 'body' | 'templateId'): string {
  const parsed = replyBodySchema.safeParse(text);
  if (parsed.success) return parsed.data;
  const prefix = field === 'templateId' ? "the template's text " : '';
  throw new ValidationError('the reply is invalid', parsed.error.issues.map((issue) => ({ field, message: `${prefix}${issue.message}` })));
}

/** A current template of the entry's department: another's is refused as the field's problem, never sent under this department's name. */
async function templateFor(deps: WithSubscribers<InboxReplyDependencies, unknown>, principal: Principal, entry: InboxEntry, templateId: string): Promise<MessageTemplate> {
  const template = await getTemplate(deps, principal, templateId);
  const problem =
    template.archivedAt !== undefined
      ? `template ${templateId} is archived`
      : template.department !== entry.department
        ? `template ${templateId} is department ${template.department}'s, not ${entry.department}'s, whose message this is`
        : undefined;
  if (problem) throw new ValidationError('the reply is invalid', [{ field: 'templateId', message: problem }]);
  return template;
}

/** The saved template's WhatsApp template for one resident: no placeholder of either kind may be left in it, as nothing fills them in a reply. */
function whatsappFallback(template: MessageTemplate, profile: Pick<SubscriberProfile, 'language'> | undefined): NonNullable<ReplySendJob['template']> {
  const fallback = template.whatsappTemplate!;
  const unfilled = fallback.parameters.filter((parameter) => {
    const ours = templatePlaceholders(parameter);
    const residents = parsePlaceholders(parameter);
    return (ours.ok && ours.placeholders.length > 0) || (residents.ok && residents.parts.some((part) => part.kind === 'placeholder'));
  });
  if (unfilled.length) {
    throw new ValidationError('the reply is invalid', [
      { field: 'templateId', message: `the WhatsApp template's parameters have placeholders a reply cannot fill (${unfilled.join(', ')})` },
    ]);
  }
  return { name: fallback.name, language: fallback.language ?? whatsappLanguageCodes[profile?.language ?? 'en'], parameters: fallback.parameters };
}
