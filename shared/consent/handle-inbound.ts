import type { InboundText } from '../domain/inbound.js';
import { routeText, type Intent, type RoutedText } from './keyword-router.js';
import { generalDepartment, type ConsentEvidence } from '../domain/model.js';
import { renderReply } from '../domain/replies.js';
import { answerLanguage, keptLanguageOf, languageToInfer } from './kept-language.js';
import type { InboundDependencies } from '../ports/dependencies.js';
import type { IntentContext, IntentOutcome, PlannedReply } from './intent-context.js';
import { intentHandlers } from './intents.js';
import type { ConsentStore } from './consent-store.js';
import type { ErasureStore } from './erasure-store.js';
import type { WithSubscribers } from '../ports/stores.js';
import type { ProfileStore } from '../residents/profile-store.js';

export type InboundOutcome =
  | { kind: 'handled'; intent: Intent['kind']; replyMessageId: string | undefined }
  | { kind: 'duplicate' };

const FLOOD_WINDOW_MS = 5 * 60_000;

/** A text may change a resident's consent and profile, and settles how long they are kept. */
type Deps = WithSubscribers<InboundDependencies, ConsentStore & ProfileStore & ErasureStore>;

/**
 * A resident's text: route it, act on it, and queue the reply (replies go out through the send
 * queue, so they are paced, recorded and tracked like any other message). A provider's retry of
 * the same message does nothing twice. A resident who floods stops getting replies for a while,
 * but what they ask for is still done, and STOP is always confirmed.
 */
export async function handleInboundText(deps: Deps, inbound: InboundText): Promise<InboundOutcome> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const entry = await deps.stores.inbound.begin(inbound.provider, inbound.providerMessageId, {
    from: inbound.from,
    channel: inbound.channel,
    body: inbound.body,
    at,
  });
  if (entry.state !== 'new') return { kind: 'duplicate' };
  try {
    return await handleClaimed(deps, inbound, now, at);
  } catch (error) {
    // A failure part-way (a throttled table, a queue down) answers the provider with a 500 and it
    // sends the message again, often within seconds. Left claimed, that retry would be taken for
    // a duplicate and answered 200, and a STOP would be lost for good: give the claim back.
    await deps.stores.inbound.release(inbound.provider, inbound.providerMessageId, at).catch(() => undefined);
    throw error;
  }
}

async function handleClaimed(deps: Deps, inbound: InboundText, now: Date, at: string): Promise<InboundOutcome> {

  const messagesInWindow = await countInWindow(deps, inbound.from, now);
  if (inbound.channel === 'whatsapp') await deps.stores.subscribers.recordWhatsAppWindow(inbound.from, at);

  const routed = routedText(inbound);
  const profile = await deps.stores.subscribers.getProfile(inbound.from);
  const kept = keptLanguageOf(profile);
  const context: IntentContext = {
    deps,
    inbound,
    at,
    evidence: evidenceOf(inbound),
    profile,
    language: answerLanguage(kept, routed.language),
    timeZone: deps.settings.timeZone,
  };
  // The table is keyed by intent kind, so each handler receives its own kind of intent.
  const handler = intentHandlers[routed.intent.kind] as (context: IntentContext, intent: Intent) => Promise<IntentOutcome>;
  const outcome = await handler(context, routed.intent);
  // The language the resident's words told is kept, so a HELP that tells none is answered in it.
  const told = outcome.toldLanguage === undefined ? routed.language : (outcome.toldLanguage ?? undefined);
  const inferred = languageToInfer(kept, told, routed.intent.kind);
  if (inferred) await deps.stores.subscribers.keepInferredLanguage(inbound.from, inbound.channel, inferred, at, context.evidence);
  // After what the text changed is written: the resident's record is kept while they are
  // subscribed, and counts down from this text when they are not (shared/retention/schedule.ts).
  await deps.stores.subscribers.settleRetention(inbound.from, at);
  const reply = replyToSend(outcome.reply, messagesInWindow, deps.settings.floodLimit, inbound);
  const replyMessageId = reply ? `reply-${inbound.provider}-${inbound.providerMessageId}` : undefined;
  if (reply && replyMessageId) {
    const language = reply.language ?? context.language;
    const overrides = await deps.stores.replyTexts.overrides();
    const body = renderReply(reply.id, language, { serviceName: deps.settings.serviceName, contact: deps.settings.contact, ...reply.params }, overrides);
    await deps.replies.send([
      {
        kind: 'reply',
        messageId: replyMessageId,
        to: inbound.from,
        channel: inbound.channel,
        body,
        purpose: reply.purpose,
        department: reply.department ?? generalDepartment,
        // The reply goes from the number the resident wrote to, where it is ours.
        from: inbound.to,
      },
    ]);
  }
  await deps.stores.inbound.finish(inbound.provider, inbound.providerMessageId, replyMessageId, outcome.redactedBody);
  return { kind: 'handled', intent: routed.intent.kind, replyMessageId };
}

function routedText(inbound: InboundText): RoutedText {
  // Twilio Advanced Opt-Out already recognised the keyword (maybe one of its own list) and
  // answered the resident: record what it means, but send no second answer (see replyToSend).
  switch (inbound.providerHandledOptOut) {
    case 'STOP':
      return { intent: { kind: 'optOut' }, language: undefined };
    case 'START':
      return { intent: { kind: 'optIn' }, language: undefined };
    case 'HELP':
      return { intent: { kind: 'help' }, language: undefined };
    default:
      return routeText(inbound.body);
  }
}

function replyToSend(
  reply: PlannedReply | undefined,
  messagesInWindow: number,
  floodLimit: number,
  inbound: InboundText,
): PlannedReply | undefined {
  if (inbound.providerHandledOptOut) return undefined;
  if (reply?.purpose === 'optOutConfirmation' || messagesInWindow <= floodLimit) return reply;
  // The first message over the limit is told why the answers stop; the rest get none.
  return messagesInWindow === floodLimit + 1 ? { id: 'slowDown', purpose: 'answer' } : undefined;
}

async function countInWindow(deps: Deps, phone: string, now: Date): Promise<number> {
  const window = Math.floor(now.getTime() / FLOOD_WINDOW_MS);
  return deps.stores.inbound.countFromSender(phone, String(window), new Date((window + 2) * FLOOD_WINDOW_MS));
}

function evidenceOf(inbound: InboundText): ConsentEvidence {
  return { kind: 'inbound', provider: inbound.provider, providerMessageId: inbound.providerMessageId, text: inbound.body };
}
