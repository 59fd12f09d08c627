import { languages, type Language } from '../domain/language.js';
import { topicNameIn, type Topic } from '../domain/model.js';
import { metricsOf } from '../platform/metrics.js';
import { answerLanguage, keptLanguageOf } from './kept-language.js';
import { yesConfirms } from './consent-rules.js';
import type { IntentContext, IntentOutcome } from './intent-context.js';
import type { Intent } from './keyword-router.js';
import { firstKeywords, nameOf } from './topic-words.js';

type ConsentIntent = 'optOut' | 'leaveTopic' | 'optIn' | 'subscribe' | 'confirm';

/**
 * A JOIN's or a YES's handler may find the text was no command after all (a bare word that is no
 * topic's keyword, a YES with nothing to confirm): it answers `undefined`, the text is for a
 * person, and the caller sends it to the inbox, which is not consent's business.
 */
type MayBeForAPerson = 'subscribe' | 'confirm';

type ConsentHandler<K extends ConsentIntent> = (
  context: IntentContext,
  intent: Extract<Intent, { kind: K }>,
) => Promise<K extends MayBeForAPerson ? IntentOutcome | undefined : IntentOutcome>;

/** What crier does when a resident texts STOP, STOP <topic> or LEAVE, START, JOIN (or a topic's keyword), and YES. */
export const consentIntents: { [K in ConsentIntent]: ConsentHandler<K> } = {
  optOut: async ({ deps, inbound, at, evidence }) => {
    const newlyOptedOut = await deps.stores.subscribers.optOut(inbound.from, inbound.channel, at, evidence);
    if (newlyOptedOut) metricsOf(deps).record('OptOuts', { channel: inbound.channel, source: 'keyword' });
    // One confirmation only: a second STOP is answered by silence.
    return newlyOptedOut ? { reply: { id: 'optedOut', purpose: 'optOutConfirmation' } } : {};
  },

  leaveTopic: async (context, { keyword }) => {
    const { deps, inbound, at, evidence } = context;
    const topic = await deps.stores.topics.findByKeyword(keyword);
    // "STOP NONSENSE", with no topic NONSENSE, is a full opt-out: the router's ambiguity rule.
    if (!topic) return consentIntents.optOut(context, { kind: 'optOut' });
    const left = await deps.stores.subscribers.leaveTopic(inbound.from, inbound.channel, topic.id, at, evidence);
    return { reply: { id: left ? 'leftTopic' : 'notSubscribedToTopic', params: { topicName: nameOf(context, topic) }, purpose: 'confirmation', department: topic.department } };
  },

  optIn: async (context) => {
    const { deps, inbound, at, evidence } = context;
    // An archived topic takes no new subscribers, not even returning ones.
    const stillOpen = async (topicId: string) => (await deps.stores.topics.get(topicId))?.archivedAt === undefined;
    const restored = await deps.stores.subscribers.restore(inbound.from, inbound.channel, at, evidence, stillOpen);
    const topics = await topicsById(context, restored);
    return { reply: { id: 'restored', params: { topicNames: topics.map((topic) => nameOf(context, topic)) }, purpose: 'confirmation' } };
  },

  subscribe: async (context, { keyword, explicit }) => {
    const { deps, inbound, at, evidence } = context;
    const topic = await deps.stores.topics.findByKeyword(keyword);
    // A bare word that is no topic's keyword is a message for a person, not a command.
    if (!topic) return explicit ? unknownTopic(context, keyword) : undefined;
    // A keyword alone tells its language as a command word does (TRAFFIG is Welsh); with JOIN or
    // YMUNO, the command word has already told it.
    const told = explicit ? undefined : aliasLanguageOf(topic, keyword);
    const language = told ? answerLanguage(keptLanguageOf(context.profile), told) : context.language;
    const params = { topicName: topicNameIn(topic, language) };
    const toldLanguage = told ? { toldLanguage: told } : {};
    if (topic.confirmedOptIn) {
      const already = (await deps.stores.subscribers.subscriptions(inbound.from)).some(
        (s) => s.topicId === topic.id && s.channel === inbound.channel,
      );
      if (already) return { reply: { id: 'alreadySubscribed', params, purpose: 'confirmation', language, department: topic.department }, ...toldLanguage };
      await deps.stores.subscribers.requestConfirmation(inbound.from, { topicId: topic.id, channel: inbound.channel, requestedAt: at }, evidence);
      return { reply: { id: 'confirmPrompt', params, purpose: 'confirmation', language, department: topic.department }, ...toldLanguage };
    }
    const subscribed = await deps.stores.subscribers.subscribe(inbound.from, inbound.channel, topic.id, at, evidence);
    return { reply: { id: subscribed ? 'subscribed' : 'alreadySubscribed', params, purpose: 'confirmation', language, department: topic.department }, ...toldLanguage };
  },

  confirm: async (context) => {
    const { deps, inbound, at, evidence } = context;
    const pending = await deps.stores.subscribers.takePendingConfirmation(inbound.from, inbound.channel);
    // A YES with nothing to confirm is most likely an answer to a broadcast: a person should see it.
    if (!pending) return undefined;
    const topic = await deps.stores.topics.get(pending.topicId);
    if (!topic || !yesConfirms(pending, topic, at)) {
      return { reply: { id: 'nothingToConfirm', params: { keywords: await firstKeywords(context) }, purpose: 'answer' } };
    }
    await deps.stores.subscribers.subscribe(inbound.from, inbound.channel, topic.id, at, evidence, 'confirm');
    return { reply: { id: 'confirmed', params: { topicName: nameOf(context, topic) }, purpose: 'confirmation', department: topic.department } };
  },
};

async function unknownTopic(context: IntentContext, word: string): Promise<IntentOutcome> {
  return { reply: { id: 'unknownTopic', params: { word, keywords: await firstKeywords(context) }, purpose: 'answer' } };
}

/** The language whose alias keywords include this one, when it is not one of the topic's own keywords. */
function aliasLanguageOf(topic: Topic, keyword: string): Language | undefined {
  if (topic.keywords.includes(keyword)) return undefined;
  return languages.find((language) => topic.aliases[language]?.keywords.includes(keyword));
}

async function topicsById(context: IntentContext, ids: string[]): Promise<Topic[]> {
  const topics = await Promise.all(ids.map((id) => context.deps.stores.topics.get(id)));
  return topics.filter((topic): topic is Topic => topic !== undefined);
}
