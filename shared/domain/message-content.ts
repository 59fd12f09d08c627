/**
 * What a broadcast says: a body in the deployment's default language, optional variants in the
 * other languages, and optionally the WhatsApp template to send it as (a business-initiated
 * WhatsApp message outside the 24-hour window must be an approved template). Pure: the sender
 * renders each recipient's copy with {@link renderContent}.
 *
 * Placeholders: `{{area}}`, `{{age_band}}` and `{{topic}}` are filled from the resident's profile
 * and the topic; `{{area|your area}}` gives the text to use when the resident never told us. A
 * placeholder without a fallback whose value is unknown makes the resident's copy unrenderable:
 * the sender skips them with a recorded reason rather than send "Roadworks in  tonight". Spaces
 * inside the braces are allowed (`{{ area }}`). There is no way to write a literal `{{`: a public
 * notice has no use for one, and every stray brace pair is far more likely a typo.
 *
 * The placeholder grammar is hand-written: it is three names and an optional fallback, and the
 * template engines that read `{{…}}` (Mustache, Handlebars, Liquid) have grammars of their own
 * (sections, helpers, filters, HTML escaping) that we would have to refuse one by one, and none
 * reports an unknown name as an error with its position.
 */
import { z } from 'zod';
import { type Language, languageSchema } from './language.js';
import { type AgeBand } from './profile.js';

export const placeholderNames = ['area', 'age_band', 'topic'] as const;
export type PlaceholderName = (typeof placeholderNames)[number];

function isPlaceholderName(name: string): name is PlaceholderName {
  return (placeholderNames as readonly string[]).includes(name);
}

/**
 * Age bands as written in a message. Hyphens, not en dashes, and "25+" rather than words: an en
 * dash or an accent ("25 o más") is outside GSM-7 and would double an SMS's cost, and the
 * digits read the same in every language.
 */
export const ageBandText: Record<AgeBand, string> = {
  '13-15': '13-15',
  '16-17': '16-17',
  '18-24': '18-24',
  '25+': '25+',
};

/**
 * The WhatsApp template language to ask for when the content names none: the template is
 * approved per language, under the same name. British English, as the deployments are UK
 * councils.
 */
export const whatsappLanguageCodes: Record<Language, string> = { en: 'en_GB', cy: 'cy', es: 'es' };

export type ContentPart = { kind: 'text'; text: string } | { kind: 'placeholder'; name: PlaceholderName; fallback: string | undefined };

export type ParsedText = { ok: true; parts: ContentPart[] } | { ok: false; errors: string[] };

const namesForHumans = '{{area}}, {{age_band}} or {{topic}}';

/** Splits a text into plain text and placeholders, or says what is wrong with its braces, by 1-based character position. */
export function parsePlaceholders(text: string): ParsedText {
  const parts: ContentPart[] = [];
  const errors: string[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    const close = text.indexOf('}}', at);
    if (close !== -1 && (open === -1 || close < open)) {
      errors.push(`"}}" at character ${close + 1} has no "{{" before it`);
      at = close + 2;
      continue;
    }
    if (open === -1) {
      parts.push({ kind: 'text', text: text.slice(at) });
      break;
    }
    if (open > at) parts.push({ kind: 'text', text: text.slice(at, open) });
    const end = text.indexOf('}}', open + 2);
    const nextOpen = text.indexOf('{{', open + 2);
    if (end === -1) {
      errors.push(`"{{" at character ${open + 1} is never closed with "}}"`);
      break;
    }
    if (nextOpen !== -1 && nextOpen < end) {
      errors.push(`"{{" at character ${open + 1} is not closed before the next "{{"`);
      at = nextOpen;
      continue;
    }
    const inside = text.slice(open + 2, end);
    const bar = inside.indexOf('|');
    const name = (bar === -1 ? inside : inside.slice(0, bar)).trim();
    const fallback = bar === -1 ? undefined : inside.slice(bar + 1).trim();
    if (!isPlaceholderName(name)) {
      errors.push(`unknown placeholder "{{${inside}}}" at character ${open + 1}: use ${namesForHumans}`);
    } else if (fallback === '') {
      errors.push(`"{{${inside}}}" at character ${open + 1} has an empty fallback: write the text to use after "|", or drop the "|"`);
    } else if (fallback !== undefined && /[{}]/.test(fallback)) {
      errors.push(`the fallback of "{{${inside}}}" at character ${open + 1} may not contain braces`);
    } else {
      parts.push({ kind: 'placeholder', name, fallback });
    }
    at = end + 2;
  }
  return errors.length ? { ok: false, errors } : { ok: true, parts };
}

function refusePlaceholderErrors(text: string, ctx: z.RefinementCtx): void {
  const parsed = parsePlaceholders(text);
  if (!parsed.ok) for (const message of parsed.errors) ctx.addIssue({ code: 'custom', message });
}

/** 1600 characters is the longest body Twilio (and most SMS providers) accept, split over up to 10 segments. */
export const maximumBodyLength = 1600;

const contentTextSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(maximumBodyLength, `must be at most ${maximumBodyLength} characters`)
  .superRefine(refusePlaceholderErrors);

/**
 * A WhatsApp template's name as Meta requires it (lowercase letters, digits and underscores, at
 * most 512), or a Twilio Content SID (HX + 32 hex digits), which is how Twilio names templates.
 */
const templateNameSchema = z
  .string()
  .trim()
  .regex(/^(?:[a-z0-9_]{1,512}|HX[0-9a-f]{32})$/, 'must be a WhatsApp template name (lowercase letters, digits and underscores) or a Twilio Content SID (HX followed by 32 hex digits)');

/** A language code as WhatsApp names template languages: "cy", "en_GB", "es_MX". */
const templateLanguageSchema = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(?:_[A-Z]{2})?$/, 'must be a WhatsApp language code such as "en_GB" or "cy"');

/** WhatsApp refuses a template parameter with a new line, a tab or more than four spaces in a row (Cloud API error 132018). */
const templateParameterSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(1024, 'must be at most 1024 characters')
  .refine((text) => !/[\n\r\t]| {5}/.test(text), 'must not contain new lines, tabs or more than four spaces in a row (WhatsApp refuses them)')
  .superRefine(refusePlaceholderErrors);

export const whatsappTemplateSchema = z.strictObject({
  name: templateNameSchema,
  /** Absent: the resident's language, through {@link whatsappLanguageCodes}. */
  language: templateLanguageSchema.optional(),
  /** The template's body variables {{1}}, {{2}}, … in order; each may use placeholders. */
  parameters: z.array(templateParameterSchema).max(10, 'must be at most 10 parameters').default([]),
});
export type WhatsappTemplate = z.infer<typeof whatsappTemplateSchema>;

export const messageContentSchema = z.strictObject({
  /** The text in the deployment's default language, and for any language without a variant. */
  body: contentTextSchema,
  variants: z.partialRecord(languageSchema, contentTextSchema).optional(),
  whatsappTemplate: whatsappTemplateSchema.optional(),
});
export type MessageContent = z.infer<typeof messageContentSchema>;

export type RenderedContent =
  | {
      ok: true;
      /** The language of the text chosen: the resident's when there is a variant for it, else the default. */
      language: Language;
      text: string;
      templateParameters: string[];
      /** With a WhatsApp template only: the template language to ask for. */
      templateLanguage?: string;
    }
  | { ok: false; missing: string[] };

export interface RenderedResident {
  language: Language | undefined;
  area: string | undefined;
  ageBand: AgeBand | undefined;
}

export interface RenderContext {
  defaultLanguage: Language;
  /** The topic's name as a reader of `language` knows it (model.ts `topicNameIn`). */
  topicName: (language: Language) => string;
}

function parsedParts(text: string): ContentPart[] {
  const parsed = parsePlaceholders(text);
  // Content reaches here through messageContentSchema; anything else is a programming error, not a resident's problem.
  if (!parsed.ok) throw new Error(`message content was not validated: ${parsed.errors.join('; ')}`);
  return parsed.parts;
}

function fill(text: string, values: Record<PlaceholderName, string | undefined>, missing: Set<string>): string {
  return parsedParts(text)
    .map((part) => {
      if (part.kind === 'text') return part.text;
      const value = values[part.name] || part.fallback;
      if (value === undefined) missing.add(part.name);
      return value ?? '';
    })
    .join('');
}

/**
 * One resident's copy: the variant in their language (or the body, in the default language),
 * with the placeholders filled. Missing data without a fallback anywhere in the content, text or
 * template parameters, makes it `{ ok: false, missing }`: which channel will carry it is decided
 * later, so either must be sendable.
 */
export function renderContent(content: MessageContent, resident: RenderedResident, context: RenderContext): RenderedContent {
  const wanted = resident.language ?? context.defaultLanguage;
  const variant = content.variants?.[wanted];
  const language = variant === undefined ? context.defaultLanguage : wanted;
  const values: Record<PlaceholderName, string | undefined> = {
    area: resident.area,
    age_band: resident.ageBand === undefined ? undefined : ageBandText[resident.ageBand],
    topic: context.topicName(language),
  };
  const missing = new Set<string>();
  const text = fill(variant ?? content.body, values, missing);
  const template = content.whatsappTemplate;
  const templateParameters = (template?.parameters ?? []).map((parameter) => fill(parameter, values, missing));
  if (missing.size) return { ok: false, missing: [...missing] };
  return {
    ok: true,
    language,
    text,
    templateParameters,
    ...(template && { templateLanguage: template.language ?? whatsappLanguageCodes[language] }),
  };
}

/** Every placeholder the content uses anywhere, once each, in order of first use. */
export function placeholdersUsed(content: MessageContent): PlaceholderName[] {
  const texts = [content.body, ...Object.values(content.variants ?? {}), ...(content.whatsappTemplate?.parameters ?? [])];
  const names = texts.flatMap((text) => parsedParts(text ?? '').flatMap((part) => (part.kind === 'placeholder' ? [part.name] : [])));
  return [...new Set(names)];
}

/**
 * The placeholders that some copy uses without a fallback: a resident lacking one of these
 * (for the text in their language) is skipped. The preview counts them; {@link renderContent}
 * gives the exact answer per resident.
 */
export function placeholdersWithoutFallback(content: MessageContent): PlaceholderName[] {
  const texts = [content.body, ...Object.values(content.variants ?? {}), ...(content.whatsappTemplate?.parameters ?? [])];
  const names = texts.flatMap((text) =>
    parsedParts(text ?? '').flatMap((part) => (part.kind === 'placeholder' && part.fallback === undefined ? [part.name] : [])),
  );
  return [...new Set(names)];
}
