import { z } from 'zod';
import { createBroadcastRequest } from '../../shared/api/broadcast-schemas.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { ageBandSchema } from '../../shared/domain/profile.js';
import { languageSchema } from '../../shared/domain/language.js';
import { messageContentSchema } from '../../shared/domain/message-content.js';
import { instantAtWallClock } from '../../shared/domain/quiet-hours.js';
import { targetingFiltersSchema } from '../../shared/domain/targeting.js';
import { checkSendAt, type CreateBroadcastInput } from '../../shared/broadcasts/broadcasts.js';
import type { FieldError } from './field-error.js';
import { fillPlaceholders, placeholdersOf, placeholderValueProblem, type TemplatePlaceholder } from '../../shared/templates/placeholders.js';

/**
 * A new broadcast as the person fills it in, step by step (audience → message → when → check),
 * kept in their session between requests. It holds what they typed, as they typed it, so a page
 * shows it back; the broadcast request is made from it, and checked by the API's own schemas,
 * only when it is complete. Nothing here decides what is allowed: the schemas and use cases do.
 */
const text = z.string().default('');
export const broadcastDraftSchema = z.object({
  topics: z.array(z.string()).default([]),
  areas: text,
  ageBands: z.array(ageBandSchema).default([]),
  languages: z.array(languageSchema).default([]),
  body: text,
  welsh: text,
  spanish: text,
  template: text,
  /** From a saved template's WhatsApp template: its language and parameters, kept as the template has them. */
  templateLanguage: text,
  templateParameters: z.array(z.string()).default([]),
  /** The saved template (and version) the draft started from, recorded on the broadcast. */
  fromTemplate: z.object({ id: z.string(), version: z.number().int(), name: z.string() }).optional(),
  /** A value for each `((placeholder))` in the texts, by its key: one for the whole broadcast. */
  values: z.record(z.string(), z.string()).default({}),
  when: z.enum(['now', 'later', 'urgent']).optional(),
  day: text,
  month: text,
  year: text,
  time: text,
  /**
   * The texts (joined) whose UCS-2 warning the person has seen and chosen to keep: Continue with
   * characters that have a GSM-7 stand-in shows the warning once, and goes on the second time.
   */
  keptUnicode: text,
  /** The steps done, so the check page can send a person back to the first one left. */
  done: z.array(z.enum(['audience', 'message', 'when'])).default([]),
});
export type BroadcastDraft = z.infer<typeof broadcastDraftSchema>;
export type DraftStep = BroadcastDraft['done'][number];

/** The session keeps drafts of other forms too (Console II): this one lives under its own name. */
const DRAFT_KEY = 'newBroadcast';

/** The draft in a session; anything unreadable (an older shape) starts afresh rather than fail. */
export function draftFrom(sessionDraft: Record<string, unknown> | undefined): BroadcastDraft {
  const parsed = broadcastDraftSchema.safeParse(sessionDraft?.[DRAFT_KEY] ?? {});
  return parsed.success ? parsed.data : broadcastDraftSchema.parse({});
}

export function sessionDraftWith(sessionDraft: Record<string, unknown> | undefined, draft: BroadcastDraft | undefined): Record<string, unknown> | undefined {
  const { [DRAFT_KEY]: _previous, ...others } = sessionDraft ?? {};
  const next = draft === undefined ? others : { ...others, [DRAFT_KEY]: draft };
  return Object.keys(next).length ? next : undefined;
}

/** A form as Hono's parseBody gives it (`name[]`-less names repeat as arrays with `all: true`). */
export type FormBody = Record<string, string | File | (string | File)[]>;

function one(form: FormBody, name: string): string {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

function all(form: FormBody, name: string): string[] {
  const value = form[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((item): item is string => typeof item === 'string');
}

/**
 * A field's error as a sentence that names the field, from the API schema's own message:
 * "must not be empty" → "Message must not be empty."; a message that names its subject already
 * ("unknown placeholder …", `"XX" is not a postcode …`) follows the label after a colon.
 */
export function fieldMessage(label: string, message: string): string {
  const sentence = /^(must|has|have|is|are) /.test(message) ? `${label} ${message}` : `${label}: ${message}`;
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

export interface StepResult {
  draft: BroadcastDraft;
  errors: FieldError[];
}

/** Topics are checked against those offered (the person's department's); filters by the targeting schema. */
export function readAudience(draft: BroadcastDraft, form: FormBody, offeredTopics: readonly string[]): StepResult {
  const topics = all(form, 'topics').filter((id) => offeredTopics.includes(id));
  const ageBands = all(form, 'ageBands').flatMap((band) => (ageBandSchema.safeParse(band).success ? [band as BroadcastDraft['ageBands'][number]] : []));
  const languages = all(form, 'languages').flatMap((code) => (languageSchema.safeParse(code).success ? [code as BroadcastDraft['languages'][number]] : []));
  const next: BroadcastDraft = { ...draft, topics, areas: one(form, 'areas').trim(), ageBands, languages };
  const errors: FieldError[] = [];
  // The API says "name at least one topic"; on a page one selects them.
  if (topics.length === 0) errors.push({ text: 'Select at least one topic', href: '#topics' });
  const areas = areaList(next.areas);
  if (areas.length) {
    const parsed = targetingFiltersSchema.safeParse({ areas });
    if (!parsed.success) errors.push(...parsed.error.issues.map((issue) => ({ text: fieldMessage('Postcode districts', issue.message), href: '#areas' })));
  }
  return { draft: errors.length ? next : withDone(next, 'audience'), errors };
}

/**
 * Postcode areas and districts as people list them: separated by commas, semicolons or lines.
 * Not by spaces: "CF10 1AA" is one (full) postcode, and is refused as finer than a district.
 */
export function areaList(areas: string): string[] {
  return areas
    .split(/[,;\n]+/)
    .map((area) => area.trim())
    .filter(Boolean);
}

const messageFields: Record<string, { label: string; href: string }> = {
  body: { label: 'Message', href: '#message' },
  'variants.cy': { label: 'Welsh message', href: '#welsh' },
  'variants.es': { label: 'Spanish message', href: '#spanish' },
  'whatsappTemplate.name': { label: 'WhatsApp template', href: '#template' },
};

/** The `((placeholders))` of a draft's texts (and its WhatsApp template's parameters), each once. */
export function draftPlaceholders(draft: Pick<BroadcastDraft, 'body' | 'welsh' | 'spanish' | 'templateParameters'>): TemplatePlaceholder[] {
  return placeholdersOf([draft.body, draft.welsh, draft.spanish, ...draft.templateParameters]);
}

/** The message as sent: each `((placeholder))` filled with the value given for the whole broadcast. */
export function contentOf(draft: Pick<BroadcastDraft, 'body' | 'welsh' | 'spanish' | 'template'> & Partial<Pick<BroadcastDraft, 'values' | 'templateLanguage' | 'templateParameters'>>) {
  // A value left empty leaves its placeholder as written: the message step asks for it by name.
  const values = Object.fromEntries(Object.entries(draft.values ?? {}).filter(([, value]) => value.trim() !== ''));
  const filled = (text: string) => fillPlaceholders(text, values);
  const variants = { ...(draft.welsh.trim() ? { cy: filled(draft.welsh) } : {}), ...(draft.spanish.trim() ? { es: filled(draft.spanish) } : {}) };
  return {
    body: filled(draft.body),
    ...(Object.keys(variants).length ? { variants } : {}),
    ...(draft.template.trim()
      ? {
          whatsappTemplate: {
            name: draft.template,
            ...(draft.templateLanguage?.trim() ? { language: draft.templateLanguage } : {}),
            ...(draft.templateParameters?.length ? { parameters: draft.templateParameters.map(filled) } : {}),
          },
        }
      : {}),
  };
}

/** Each placeholder's value from the message step's form, and an error naming the placeholder for each one left or refused. */
function readValues(placeholders: readonly TemplatePlaceholder[], form: FormBody): { values: Record<string, string>; errors: FieldError[] } {
  const values: Record<string, string> = {};
  const errors: FieldError[] = [];
  placeholders.forEach((placeholder, index) => {
    const value = one(form, `value:${placeholder.key}`).trim();
    values[placeholder.key] = value;
    const problem = placeholderValueProblem(value);
    if (problem) {
      const text = value ? fieldMessage(`((${placeholder.name}))`, problem) : `Enter a value for ((${placeholder.name}))`;
      errors.push({ text, href: `#placeholder-${index + 1}` });
    }
  });
  return { values, errors };
}

/** The message step, checked by the API's message schema (length, placeholders, template name). */
export function readMessage(draft: BroadcastDraft, form: FormBody): StepResult {
  const typed: BroadcastDraft = { ...draft, body: one(form, 'message'), welsh: one(form, 'welsh'), spanish: one(form, 'spanish'), template: one(form, 'template') };
  // A saved template's WhatsApp language and parameters go with its name: another name, none of them.
  const sameTemplate = typed.template.trim() === draft.template.trim();
  const withTemplate = sameTemplate ? typed : { ...typed, templateLanguage: '', templateParameters: [] };
  const read = readValues(draftPlaceholders(withTemplate), form);
  const next: BroadcastDraft = { ...withTemplate, values: read.values };
  const parsed = messageContentSchema.safeParse(contentOf(next));
  const errors = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => {
          const field = messageFields[issue.path.join('.')] ?? messageFields.body!;
          return { text: fieldMessage(field.label, issue.message), href: field.href };
        })),
    ...read.errors,
  ];
  return { draft: errors.length ? next : withDone(next, 'message'), errors };
}

/** A time as people write it on a form: 18:30, 6:30, 18.30. */
const TIME = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;

/**
 * The when step. A date and time is read on the deployment's clock (what the person's wall
 * clock shows), and checked as the use case checks it: after now, not too far ahead.
 */
export function readWhen(draft: BroadcastDraft, form: FormBody, timeZone: string, now: Date): StepResult & { sendAt?: string } {
  const when = z.enum(['now', 'later', 'urgent']).safeParse(one(form, 'when'));
  const next: BroadcastDraft = {
    ...draft,
    when: when.success ? when.data : undefined,
    day: one(form, 'day').trim(),
    month: one(form, 'month').trim(),
    year: one(form, 'year').trim(),
    time: one(form, 'time').trim(),
  };
  if (!when.success) return { draft: next, errors: [{ text: 'Select when to send the broadcast', href: '#when' }] };
  if (when.data !== 'later') return { draft: withDone(next, 'when'), errors: [] };
  const scheduled = sendAtOf(next, timeZone);
  if ('error' in scheduled) return { draft: next, errors: [scheduled.error] };
  try {
    checkSendAt(scheduled.sendAt, now);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { draft: next, errors: error.details.map((detail) => ({ text: fieldMessage('The date and time', detail.message), href: '#send-at-day' })) };
  }
  return { draft: withDone(next, 'when'), errors: [], sendAt: scheduled.sendAt };
}

/** The instant a scheduled draft names, or the error that says what to put right. */
export function sendAtOf(draft: BroadcastDraft, timeZone: string): { sendAt: string } | { error: FieldError } {
  const [day, month, year] = [draft.day, draft.month, draft.year].map((part) => (/^\d{1,4}$/.test(part) ? Number(part) : Number.NaN)) as [number, number, number];
  if (!draft.day && !draft.month && !draft.year) return { error: { text: 'Enter the date to send it', href: '#send-at-day' } };
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (Number.isNaN(calendar.getTime()) || year < 1000 || calendar.getUTCDate() !== day || calendar.getUTCMonth() !== month - 1) {
    return { error: { text: 'The date must be a real date', href: '#send-at-day' } };
  }
  const time = TIME.exec(draft.time);
  if (!time) return { error: { text: 'Enter a time in 24-hour format, such as 18:30', href: '#time' } };
  const at = instantAtWallClock({ year, month, day, hour: Number(time[1]), minute: Number(time[2]) }, timeZone);
  if (!at) return { error: { text: 'That time does not happen on that day: the clocks go forward. Choose another time', href: '#time' } };
  return { sendAt: at.toISOString() };
}

function withDone(draft: BroadcastDraft, step: DraftStep): BroadcastDraft {
  return draft.done.includes(step) ? draft : { ...draft, done: [...draft.done, step] };
}

/** The first step not yet done, where the check page sends a person with an unfinished draft. */
export function firstStepLeft(draft: BroadcastDraft): DraftStep | undefined {
  return (['audience', 'message', 'when'] as const).find((step) => !draft.done.includes(step));
}

/**
 * The broadcast request the draft makes, through the API's own request schema (which normalises
 * as it does for the API: postcode districts upper-cased, duplicates dropped).
 */
export function requestOf(draft: BroadcastDraft, timeZone: string): { ok: true; request: CreateBroadcastInput } | { ok: false; issues: string[] } {
  const areas = areaList(draft.areas);
  const filters = {
    ...(areas.length ? { areas } : {}),
    ...(draft.ageBands.length ? { ageBands: draft.ageBands } : {}),
    ...(draft.languages.length ? { languages: draft.languages } : {}),
  };
  const scheduled = draft.when === 'later' ? sendAtOf(draft, timeZone) : undefined;
  if (scheduled && 'error' in scheduled) return { ok: false, issues: [scheduled.error.text] };
  const parsed = createBroadcastRequest.safeParse({
    topics: draft.topics,
    ...contentOf(draft),
    ...(Object.keys(filters).length ? { filters } : {}),
    priority: draft.when === 'urgent' ? 'urgent' : 'normal',
    ...(scheduled ? { sendAt: scheduled.sendAt } : {}),
    ...(draft.fromTemplate ? { fromTemplate: { id: draft.fromTemplate.id, version: draft.fromTemplate.version } } : {}),
  });
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  return { ok: true, request: parsed.data };
}
