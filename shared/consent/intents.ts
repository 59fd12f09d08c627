import { consentIntents } from './consent-intents.js';
import type { IntentContext, IntentOutcome } from './intent-context.js';
import type { Intent } from './keyword-router.js';
import { firstKeywords, keywordIn, nameOf } from './topic-words.js';
import { deliverToInbox } from '../inbox/deliver-to-inbox.js';

type IntentHandler<K extends Intent['kind']> = (context: IntentContext, intent: Extract<Intent, { kind: K }>) => Promise<IntentOutcome>;

/** What crier does for each kind of text. One entry per intent kind; each has its own tests. */
export const intentHandlers: { [K in Intent['kind']]: IntentHandler<K> } = {
  optOut: consentIntents.optOut,
  leaveTopic: consentIntents.leaveTopic,
  optIn: consentIntents.optIn,

  help: async (context) => ({ reply: { id: 'help', params: { keywords: await firstKeywords(context) }, purpose: 'help' } }),

  // A word that is no topic's, a YES with nothing to confirm: for a person, in the inbox.
  subscribe: async (context, intent) => (await consentIntents.subscribe(context, intent)) ?? deliverToInbox(context),
  confirm: async (context, intent) => (await consentIntents.confirm(context, intent)) ?? deliverToInbox(context),

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
