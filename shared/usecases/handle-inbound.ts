import type { InboundText } from '../domain/inbound.js';
import type { ReplyPurpose } from '../domain/jobs.js';
import { routeText, type Intent } from '../domain/keyword-router.js';
import type { ConsentEvidence } from '../domain/model.js';
import { replies } from '../domain/replies.js';
import type { InboundDependencies } from './dependencies.js';

export type InboundOutcome =
  | { kind: 'handled'; intent: Intent['kind']; replyMessageId: string | undefined }
  | { kind: 'duplicate' };

interface PlannedReply {
  body: string;
  purpose: ReplyPurpose;
}

/**
 * A resident's text: route it, act on it, and queue the reply (replies go out through the send
 * queue, so they are paced, recorded and tracked like any other message). A provider's retry of
 * the same message does nothing twice.
 */
export async function handleInboundText(deps: InboundDependencies, inbound: InboundText): Promise<InboundOutcome> {
  const at = deps.clock.now().toISOString();
  const entry = await deps.stores.inbound.begin(inbound.provider, inbound.providerMessageId, {
    from: inbound.from,
    channel: inbound.channel,
    body: inbound.body,
    at,
  });
  if (entry.state !== 'new') return { kind: 'duplicate' };

  const intent = intentOf(inbound);
  const reply = await act(deps, inbound, intent, at);
  // Twilio Advanced Opt-Out already answered STOP/START/HELP itself: a second answer would be noise.
  const sendReply = reply && !inbound.providerHandledOptOut;
  const replyMessageId = sendReply ? `reply-${inbound.provider}-${inbound.providerMessageId}` : undefined;
  if (sendReply && replyMessageId) {
    await deps.replies.send([
      { kind: 'reply', messageId: replyMessageId, to: inbound.from, channel: inbound.channel, body: reply.body, purpose: reply.purpose },
    ]);
  }
  await deps.stores.inbound.finish(inbound.provider, inbound.providerMessageId, replyMessageId);
  return { kind: 'handled', intent: intent.kind, replyMessageId };
}

function intentOf(inbound: InboundText): Intent {
  switch (inbound.providerHandledOptOut) {
    case 'STOP':
      return { kind: 'optOut' };
    case 'START':
      return { kind: 'optIn' };
    case 'HELP':
      return { kind: 'help' };
    default:
      return routeText(inbound.body);
  }
}

async function act(
  deps: InboundDependencies,
  inbound: InboundText,
  intent: Intent,
  at: string,
): Promise<PlannedReply | undefined> {
  const { subscribers, topics } = deps.stores;
  const evidence: ConsentEvidence = {
    kind: 'inbound',
    provider: inbound.provider,
    providerMessageId: inbound.providerMessageId,
    text: inbound.body,
  };
  switch (intent.kind) {
    case 'optOut': {
      const newlyOptedOut = await subscribers.optOut(inbound.from, inbound.channel, at, evidence);
      // One confirmation only: a second STOP is recorded nowhere and answered by silence.
      return newlyOptedOut ? { body: replies.optedOut(), purpose: 'optOutConfirmation' } : undefined;
    }
    case 'optIn': {
      const restored = await subscribers.restore(inbound.from, inbound.channel, at, evidence);
      const names = await topicNames(deps, restored);
      return { body: replies.restored(names), purpose: 'confirmation' };
    }
    case 'help':
      return { body: replies.help(await allKeywords(deps)), purpose: 'help' };
    case 'subscribe': {
      const topic = await topics.findByKeyword(intent.keyword);
      if (!topic) {
        return intent.explicit
          ? { body: replies.unknownTopic(intent.keyword, await allKeywords(deps)), purpose: 'answer' }
          : { body: replies.notUnderstood(), purpose: 'answer' };
      }
      const subscribed = await subscribers.subscribe(inbound.from, inbound.channel, topic.id, at, evidence);
      return {
        body: subscribed ? replies.subscribed(topic.name) : replies.alreadySubscribed(topic.name),
        purpose: 'confirmation',
      };
    }
    case 'unrecognised':
      return { body: replies.notUnderstood(), purpose: 'answer' };
  }
}

async function allKeywords(deps: InboundDependencies): Promise<string[]> {
  return (await deps.stores.topics.list()).flatMap((topic) => topic.keywords.slice(0, 1));
}

async function topicNames(deps: InboundDependencies, topicIds: string[]): Promise<string[]> {
  const topics = await Promise.all(topicIds.map((id) => deps.stores.topics.get(id)));
  return topics.flatMap((topic) => (topic ? [topic.name] : []));
}
