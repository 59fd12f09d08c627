import { consentVerdict } from '../consent/consent-rules.js';
import { defaultLanguage, type Language } from '../domain/language.js';
import { renderContent } from '../domain/message-content.js';
import { topicNameIn, type Broadcast, type Channel, type Recipient, type SkipReason, type SubscriberProfile } from '../domain/model.js';
import { withStopFooter } from '../domain/replies.js';
import { isWhatsAppWindowOpen } from '../domain/whatsapp-window.js';
import type { OutboundTemplate } from '../ports/messaging-provider.js';
import type { ConsentStore } from '../consent/consent-store.js';
import type { WithSubscribers } from '../ports/stores.js';
import type { ProfileStore } from '../residents/profile-store.js';
import type { SendDependencies } from './send-message.js';

/*
 * What a sender asks about each resident of a broadcast just before their send: may they still
 * be sent it (consent, and the broadcast not cancelled since), and what exactly they get.
 */

/** How often a sending batch looks again at its broadcast's status, so a cancel stops it within about a second. */
const CANCEL_CHECK_MS = 1_000;

/** True once the broadcast has been cancelled since the batch began (read again at most once a second). */
export async function cancelledSince(deps: SendDependencies, broadcast: Broadcast, check: { lastAt: number; cancelled: boolean }): Promise<boolean> {
  const now = deps.clock.now().getTime();
  if (check.cancelled || now - check.lastAt < CANCEL_CHECK_MS) return check.cancelled;
  check.lastAt = now;
  check.cancelled = (await deps.stores.broadcasts.get(broadcast.id))?.status === 'cancelled';
  return check.cancelled;
}

/**
 * Whether a resident may still be sent the broadcast, read strongly just before their slot: not
 * erased (an erased resident has no profile), not opted out on the channel, still in the topic
 * (the rule is consentVerdict; this reads what it needs).
 */
export async function consentOf(
  deps: WithSubscribers<SendDependencies, ConsentStore & ProfileStore>,
  recipient: Recipient,
  topicId: string | undefined,
): Promise<{ profile: SubscriberProfile } | { skip: SkipReason }> {
  const { profile, subscribed } =
    topicId === undefined
      ? { profile: (await deps.stores.subscribers.profilesOf([recipient.phone], { consistent: true })).get(recipient.phone), subscribed: undefined }
      : await deps.stores.subscribers.consentToSend(recipient.phone, recipient.channel, topicId);
  return consentVerdict(profile, recipient.channel, subscribed);
}

/**
 * What one resident is sent: the variant for their language with their profile filled in and
 * the STOP footer, or on WhatsApp outside their 24-hour window the broadcast's template; or why
 * they get nothing. `stopTo`: it goes from a one-way sender ID, so the footer names the number to
 * text STOP to instead of inviting a reply.
 */
export function composeFor(
  broadcast: Broadcast,
  profile: SubscriberProfile,
  channel: Channel,
  now: Date,
  topicName: (language: Language) => string,
  stopTo?: string,
): { body: string; template: OutboundTemplate | undefined } | { skip: SkipReason } {
  const rendered = renderContent(broadcast, profile, { defaultLanguage, topicName });
  if (!rendered.ok) return { skip: 'missing_data' };
  const body = withStopFooter(rendered.text, rendered.language, stopTo);
  if (channel !== 'whatsapp' || isWhatsAppWindowOpen(profile, now)) return { body, template: undefined };
  if (!broadcast.whatsappTemplate) return { skip: 'whatsapp_window_closed' };
  return {
    body,
    template: {
      name: broadcast.whatsappTemplate.name,
      language: rendered.templateLanguage ?? rendered.language,
      parameters: rendered.templateParameters,
    },
  };
}

/** The `{{topic}}` placeholder names the broadcast's first topic, in the resident's language. */
export async function topicNamer(deps: SendDependencies, broadcast: Broadcast): Promise<(language: Language) => string> {
  const topic = await deps.stores.topics.get(broadcast.topics[0] ?? '');
  return (language) => (topic ? topicNameIn(topic, language) : '');
}

