import type { Intent } from '../../consent/keyword-router.js';
import { languages, type Language } from '../../domain/language.js';
import { allKeywords, topicNameIn, type Topic } from '../../domain/model.js';
import { metricsOf } from '../../platform/metrics.js';
import { answerLanguage, keptLanguageOf } from '../../residents/kept-language.js';
import type { IntentContext, IntentOutcome } from './context.js';
import { deliverToInbox } from './inbox.js';

/** A resident has this long to answer YES to a confirmed-opt-in topic. */
const CONFIRMATION_WINDOW_MS = 24 * 60 * 60 * 1000;

type IntentHandler<K extends Intent['kind']> = (context: IntentContext, intent: Extract<Intent, { kind: K }>) => Promise<IntentOutcome>;

/** What crier does for each kind of text. One entry per intent kind; each has its own tests. */
export const intentHandlers: { [K in Intent['kind']]: IntentHandler<K> } = {
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
    if (!topic) return intentHandlers.optOut(context, { kind: 'optOut' });
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

  help: async (context) => ({ reply: { id: 'help', params: { keywords: await firstKeywords(context) }, purpose: 'help' } }),

  subscribe: async (context, { keyword, explicit }) => {
    const { deps, inbound, at, evidence } = context;
    const topic = await deps.stores.topics.findByKeyword(keyword);
    // A bare word that is no topic's keyword is a message for a person, not a command.
    if (!topic) return explicit ? unknownTopic(context, keyword) : deliverToInbox(context);
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
    if (!pending) return deliverToInbox(context);
    const topic = await deps.stores.topics.get(pending.topicId);
    if (!topic || topic.archivedAt !== undefined || Date.parse(at) - Date.parse(pending.requestedAt) > CONFIRMATION_WINDOW_MS) {
      return { reply: { id: 'nothingToConfirm', params: { keywords: await firstKeywords(context) }, purpose: 'answer' } };
    }
    await deps.stores.subscribers.subscribe(inbound.from, inbound.channel, topic.id, at, evidence, 'confirm');
    return { reply: { id: 'confirmed', params: { topicName: nameOf(context, topic) }, purpose: 'confirmation', department: topic.department } };
  },

  listTopics: async (context) => {
    const { deps, inbound } = context;
    const [topics, subscriptions] = await Promise.all([deps.stores.topics.list(), deps.stores.subscribers.subscriptions(inbound.from)]);
    const mine = new Set(subscriptions.filter((s) => s.channel === inbound.channel).map((s) => s.topicId));
    return {
      reply: {
        id: 'topicsList',
        params: {
          keywords: topics.map((topic) => keywordIn(context, topic)),
          subscribedNames: topics.filter((topic) => mine.has(topic.id)).map((topic) => nameOf(context, topic)),
        },
        purpose: 'answer',
      },
    };
  },

  setArea: async ({ deps, inbound, at, evidence }, { area }) => {
    await deps.stores.subscribers.updateProfile(inbound.from, inbound.channel, { area }, at, evidence);
    return { reply: { id: 'areaSet', params: { area }, purpose: 'confirmation' } };
  },
  invalidArea: async (_context, { text }) => ({ reply: { id: 'invalidArea', params: { word: text }, purpose: 'answer' } }),

  setLanguage: async ({ deps, inbound, at, evidence }, { language }) => {
    // Asked for, so it is kept over any language their words tell later.
    await deps.stores.subscribers.updateProfile(inbound.from, inbound.channel, { language, languageSource: 'chosen' }, at, evidence);
    return { reply: { id: 'languageSet', params: { language }, purpose: 'confirmation', language } };
  },
  invalidLanguage: async (_context, { text }) => ({ reply: { id: 'invalidLanguage', params: { word: text }, purpose: 'answer' } }),

  setAge: async ({ deps, inbound, at, evidence }, { band }) => {
    await deps.stores.subscribers.updateProfile(inbound.from, inbound.channel, { ageBand: band }, at, evidence);
    return { reply: { id: 'ageSet', params: { band }, purpose: 'confirmation' } };
  },
  // Under 13: told they cannot join, and nothing is kept, not even the text that said so; a band
  // given before is forgotten, so they fall out of every age-band segment.
  underAge: async ({ deps, inbound, at, evidence, profile }) => {
    const redactedBody = '[removed: an age under 13]';
    if (profile?.ageBand !== undefined) {
      const redacted = evidence.kind === 'inbound' ? { ...evidence, text: redactedBody } : evidence;
      await deps.stores.subscribers.updateProfile(inbound.from, inbound.channel, { ageBand: null }, at, redacted);
    }
    return { reply: { id: 'underAge', purpose: 'answer' }, redactedBody };
  },
  invalidAge: async (_context, { text }) => ({ reply: { id: 'invalidAge', params: { word: text }, purpose: 'answer' } }),

  unrecognised: async (context) => deliverToInbox(context),
};

async function unknownTopic(context: IntentContext, word: string): Promise<IntentOutcome> {
  return { reply: { id: 'unknownTopic', params: { word, keywords: await firstKeywords(context) }, purpose: 'answer' } };
}

/** The language whose alias keywords include this one, when it is not one of the topic's own keywords. */
function aliasLanguageOf(topic: Topic, keyword: string): Language | undefined {
  if (topic.keywords.includes(keyword)) return undefined;
  return languages.find((language) => topic.aliases[language]?.keywords.includes(keyword));
}

function nameOf(context: IntentContext, topic: Topic): string {
  return topicNameIn(topic, context.language);
}

/** The keyword a resident writing in the context's language would use for a topic. */
function keywordIn(context: IntentContext, topic: Topic): string {
  return topic.aliases[context.language]?.keywords[0] ?? topic.keywords[0] ?? allKeywords(topic)[0] ?? topic.id.toUpperCase();
}

async function firstKeywords(context: IntentContext): Promise<string[]> {
  return (await context.deps.stores.topics.list()).map((topic) => keywordIn(context, topic));
}

async function topicsById(context: IntentContext, ids: string[]): Promise<Topic[]> {
  const topics = await Promise.all(ids.map((id) => context.deps.stores.topics.get(id)));
  return topics.filter((topic): topic is Topic => topic !== undefined);
}
