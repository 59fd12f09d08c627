import { z } from 'zod';
import { ERASED } from '../domain/erasure.js';
import { maximumBodyLength, messageContentSchema, parsePlaceholders } from '../domain/message-content.js';
import type { SubscriberProfile } from '../domain/model.js';
import { isWhatsAppWindowOpen } from '../domain/whatsapp-window.js';
import type { InboxEntry } from '../ports/stores.js';

/**
 * A reply's words: a broadcast body's rules (not empty, at most {@link maximumBodyLength}
 * characters, placeholders well formed), and no placeholder at all, since a reply goes to one
 * resident as written and nothing would fill `((area))` in.
 */
export const replyBodySchema = messageContentSchema.shape.body.refine((text) => {
  const parsed = parsePlaceholders(text);
  return !parsed.ok || parsed.parts.every((part) => part.kind === 'text');
}, 'must not use placeholders: a reply is sent as written');

export const replyRequestSchema = z.strictObject({ body: replyBodySchema });

/** Why a reply to this entry's resident cannot be sent now, or undefined when it can. */
export type ReplyRefusal = 'erased' | 'optedOut' | 'whatsappWindowClosed';

/** Each refusal as the sentence staff (and the API's caller) read. */
export const replyRefusalSentences: Record<ReplyRefusal, string> = {
  erased: "This resident's number was erased, so crier cannot reply to them.",
  optedOut: 'This resident has opted out (they texted STOP), so crier sends them nothing more until they text START.',
  whatsappWindowClosed:
    'This resident last wrote on WhatsApp more than 24 hours ago. WhatsApp allows only approved templates after that, so a free-text reply cannot be sent.',
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

export { maximumBodyLength };
