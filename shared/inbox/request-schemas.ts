import { z } from 'zod';
import { inboxEntryIdPattern } from './entry-id.js';

/** The most characters a note for colleagues holds. */
export const NOTE_MAX_LENGTH = 1000;
/** The most messages one request marks handled: a page of the console's list and more. */
export const SEVERAL_MAX = 100;

/** A note for colleagues: plain text, never sent to anyone. */
export const noteTextSchema = z.string().trim().min(1, 'must not be empty').max(NOTE_MAX_LENGTH, `must be at most ${NOTE_MAX_LENGTH} characters`);
export const noteRequestSchema = z.strictObject({ text: noteTextSchema });

export const handleSeveralSchema = z.strictObject({
  ids: z
    .array(z.string().regex(inboxEntryIdPattern, 'is not an inbox message id'))
    .min(1, 'must name at least one message')
    .max(SEVERAL_MAX, `must name at most ${SEVERAL_MAX} messages`),
  handled: z.boolean().default(true),
});
