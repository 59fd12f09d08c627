import { z } from 'zod';
import { ERASED } from '../domain/erasure.js';
import { maximumBodyLength, messageContentSchema, parsePlaceholders } from '../domain/message-content.js';
import type { SubscriberProfile } from '../domain/model.js';
import { isWhatsAppWindowOpen } from '../domain/whatsapp-window.js';
import type { InboxEntry } from './inbox-store.js';
import { templatePlaceholders } from '../templates/placeholders.js';
import { templateIdSchema } from '../templates/template.js';

/**
 * A reply's words: a broadcast body's rules (not empty, at most {@link maximumBodyLength}
 * characters, placeholders well formed), and no placeholder at all, since a reply goes to one
 * resident as written and nothing would fill `((area))` in.
 */
export const replyBodySchema = messageContentSchema.shape.body
  .refine((text) => {
    const parsed = parsePlaceholders(text);
    return !parsed.ok || parsed.parts.every((part) => part.kind === 'text');
  }, 'must not use placeholders: a reply is sent as written')
  // A saved template's ((road)), left in a reply started from it: say which, so it is put right.
  .superRefine((text, ctx) => {
    const parsed = templatePlaceholders(text);
    const left = parsed.ok ? parsed.placeholders : [];
    if (left.length) ctx.addIssue({ code: 'custom', message: `must not contain ${left.map((placeholder) => `((${placeholder.name}))`).join(', ')}: write the words in their place` });
  });

/** A free-text reply, or one from a saved template (its text in the resident's language, or its WhatsApp template outside the window). */
export const replyRequestSchema = z
  .strictObject({
    body: replyBodySchema.optional().meta({ description: 'Your words, sent as written' }),
    templateId: templateIdSchema
      .optional()
      .meta({ description: "A saved template of the message's department, instead of a body" }),
  })
  .refine((reply) => (reply.body === undefined) !== (reply.templateId === undefined), {
    message: 'give either body (your words) or templateId (a saved template), not both',
    path: ['body'],
  })
  .meta({ id: 'InboxReply' });

/** Why a reply to this entry's resident cannot be sent now, or undefined when it can. */
export type ReplyRefusal = 'erased' | 'optedOut' | 'whatsappWindowClosed' | 'templateWithoutWhatsapp';

/** Each refusal as the sentence staff (and the API's caller) read. */
export const replyRefusalSentences: Record<ReplyRefusal, string> = {
  erased: "This resident's number was erased, so crier cannot reply to them.",
  optedOut: 'This resident has opted out (they texted STOP), so crier sends them nothing more until they text START.',
  whatsappWindowClosed:
    'This resident last wrote on WhatsApp more than 24 hours ago. WhatsApp allows only approved templates after that, so a free-text reply cannot be sent.',
  templateWithoutWhatsapp:
    'This resident last wrote on WhatsApp more than 24 hours ago, and the saved template chosen has no WhatsApp template to send instead. Choose one that has.',
};

/**
 * The rules for a free-text reply, pure: never to an erased number; never to a resident who has
 * opted out on the entry's channel (the opt-out confirmation is the last thing they get); on
 * WhatsApp only within 24 hours of the resident's last message (Meta refuses free text after).
 */
export function replyRefusal(
  entry: Pick<InboxEntry, 'from' | 'channel'>,
  profile: Pick<SubscriberProfile, 'optedOut' | 'whatsappWindowOpenedAt'> | undefined,
  now: Date,
): ReplyRefusal | undefined {
  if (entry.from === ERASED) return 'erased';
  if (profile?.optedOut[entry.channel] !== undefined) return 'optedOut';
  if (entry.channel === 'whatsapp' && !isWhatsAppWindowOpen(profile ?? { whatsappWindowOpenedAt: undefined }, now)) return 'whatsappWindowClosed';
  return undefined;
}

/** How a reply goes out: as written, as its saved template's WhatsApp template, or not at all (and why). */
export type ReplyDecision = { send: 'text' } | { send: 'whatsappTemplate' } | { refused: ReplyRefusal };

/**
 * The rules for any reply, pure: those of {@link replyRefusal}, except that on WhatsApp outside
 * the 24-hour window a reply from a saved template with a WhatsApp template to fall back on goes
 * out as that template (Meta allows an approved template at any time), and one from a saved
 * template without is refused as such.
 */
export function replyDecision(
  entry: Pick<InboxEntry, 'from' | 'channel'>,
  profile: Pick<SubscriberProfile, 'optedOut' | 'whatsappWindowOpenedAt'> | undefined,
  now: Date,
  savedTemplate: { whatsappTemplate: boolean } | undefined,
): ReplyDecision {
  const refusal = replyRefusal(entry, profile, now);
  if (refusal === 'whatsappWindowClosed' && savedTemplate) return savedTemplate.whatsappTemplate ? { send: 'whatsappTemplate' } : { refused: 'templateWithoutWhatsapp' };
  return refusal ? { refused: refusal } : { send: 'text' };
}

export { maximumBodyLength };
