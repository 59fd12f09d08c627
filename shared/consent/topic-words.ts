import { allKeywords, topicNameIn, type Topic } from '../domain/model.js';
import type { IntentContext } from './intent-context.js';

/*
 * How a reply names topics to a resident: in the language it answers in. The consent commands'
 * replies and HELP's and TOPICS' (shared/consent/intents.ts) use the same words.
 */

export function nameOf(context: IntentContext, topic: Topic): string {
  return topicNameIn(topic, context.language);
}

/** The keyword a resident writing in the context's language would use for a topic. */
export function keywordIn(context: IntentContext, topic: Topic): string {
  return topic.aliases[context.language]?.keywords[0] ?? topic.keywords[0] ?? allKeywords(topic)[0] ?? topic.id.toUpperCase();
}

export async function firstKeywords(context: IntentContext): Promise<string[]> {
  return (await context.deps.stores.topics.list()).map((topic) => keywordIn(context, topic));
}
