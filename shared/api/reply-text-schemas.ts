import { z } from 'zod';
import { languageSchema } from '../domain/language.js';

/** The automatic replies' wordings, built in and overridden, per language. */

export const replyTextsResponse = z
  .object({
    replies: z.array(
      z.object({ language: languageSchema, id: z.string(), builtIn: z.string(), override: z.string().optional() }),
    ),
  })
  .meta({ id: 'ReplyTexts' });

export const replyTextRequest = z
  .object({ text: z.string().meta({ description: 'The wording, with {{placeholders}} such as {{topicName}}; how to stop is added for you' }) })
  .meta({ id: 'ReplyTextRequest' });
