/**
 * What `crier broadcasts send` and `preview` read from the command line, turned into the body
 * of `POST /v1/broadcasts` (or `/preview`). Only what the CLI can know for sure is checked here:
 * the shape of an option (`--variant cy=…`, `--at` with its offset, a known age band); the API
 * stays the judge of the content itself (placeholders, lengths, postcode districts, topics).
 */
import { z } from 'zod';
import type { createBroadcastRequest } from '../shared/api/broadcast-schemas.js';
import { languages, type Language } from '../shared/domain/language.js';
import { ageBands } from '../shared/domain/profile.js';
import { parseArguments } from './arguments.js';

export type BroadcastRequest = z.input<typeof createBroadcastRequest>;

const languageList = languages.join(', ');

/** `--variant cy=Ciwiau ar yr A470` → `['cy', 'Ciwiau ar yr A470']`, or what is wrong with it. */
export function parseVariant(text: string): { ok: true; language: Language; text: string } | { ok: false; message: string } {
  const equals = text.indexOf('=');
  if (equals === -1) return { ok: false, message: `"${text}" must be <language>=<text>, such as "cy=Ffordd ar gau"` };
  const code = text.slice(0, equals).trim().toLowerCase();
  const body = text.slice(equals + 1).trim();
  if (!(languages as readonly string[]).includes(code)) {
    return { ok: false, message: `"${text.slice(0, equals).trim()}" is not a language crier writes in (${languageList})` };
  }
  if (body === '') return { ok: false, message: `the ${code} text must not be empty` };
  return { ok: true, language: code as Language, text: body };
}

/** Every `--variant`, as the request's `variants`: a language given twice is refused, not silently overwritten. */
export function parseVariants(values: readonly string[]): { variants: Partial<Record<Language, string>>; problems: string[] } {
  const variants: Partial<Record<Language, string>> = {};
  const problems: string[] = [];
  for (const value of values) {
    const parsed = parseVariant(value);
    if (!parsed.ok) problems.push(parsed.message);
    else if (variants[parsed.language] !== undefined) problems.push(`${parsed.language} is given twice`);
    else variants[parsed.language] = parsed.text;
  }
  return { variants, problems };
}

/** ISO 8601 date and time with an offset; seconds, fractions and the colon in the offset optional; "T" or a space. */
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const ISO_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

/**
 * `--at`: the instant an ISO 8601 time with an offset names, or why it is not one. A time
 * without an offset is refused rather than guessed: in the UK it could mean GMT or BST, and the
 * person typing it may be elsewhere.
 */
export function parseSendAt(text: string): { ok: true; at: Date } | { ok: false; message: string } {
  const trimmed = text.trim();
  const match = ISO_WITH_OFFSET.exec(trimmed);
  if (!match) {
    if (ISO_WITHOUT_OFFSET.test(trimmed)) {
      return { ok: false, message: `"${trimmed}" has no offset: add one, such as ${exampleWithOffset(trimmed)}Z (UTC) or +01:00 (BST)` };
    }
    return { ok: false, message: `"${trimmed}" is not an ISO 8601 time with an offset, such as 2025-03-01T18:00:00Z or 2025-07-01T18:00+01:00` };
  }
  const [, year, month, day, hour, minute, second = '0', fraction = '', offset] = match;
  const numbers = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  const [y, mo, d, h, mi, s] = numbers;
  const milliseconds = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
  const local = new Date(Date.UTC(y, mo - 1, d, h, mi, s, milliseconds));
  // Date.UTC rolls 30 February over into March; a time that is not on the calendar is a typo.
  if (local.getUTCFullYear() !== y || local.getUTCMonth() !== mo - 1 || local.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return { ok: false, message: `"${trimmed}" is not a real date and time` };
  }
  const offsetMinutes = offsetOf(offset ?? 'Z');
  if (offsetMinutes === undefined) return { ok: false, message: `"${offset}" is not an offset such as +01:00 or Z` };
  return { ok: true, at: new Date(local.getTime() - offsetMinutes * 60_000) };
}

function offsetOf(offset: string): number | undefined {
  if (offset.toUpperCase() === 'Z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
  if (!match) return undefined;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? '0');
  if (hours > 14 || minutes > 59) return undefined;
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function exampleWithOffset(text: string): string {
  return text.includes('T') || text.includes(' ') ? text.replace(' ', 'T') : `${text}T09:00:00`;
}

const LONDON = 'Europe/London';

/**
 * A time as people here read it, and unambiguous for everyone else:
 * "Sat 1 Mar 2025 18:00 GMT (Europe/London) = 2025-03-01 18:00 UTC".
 */
export function describeTime(at: Date | string): string {
  const time = typeof at === 'string' ? new Date(at) : at;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: LONDON,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    })
      .formatToParts(time)
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  // en-GB names the zone "GMT" in winter and "GMT+1" in summer; people say BST.
  const zone = parts.timeZoneName === 'GMT+1' ? 'BST' : parts.timeZoneName;
  const london = `${parts.weekday} ${parts.day} ${parts.month} ${parts.year} ${parts.hour}:${parts.minute} ${zone} (${LONDON})`;
  const utc = time.toISOString().replace(/:\d{2}\.\d{3}Z$/, '').replace('T', ' ');
  return `${london} = ${utc} UTC`;
}

/** "in 3 h 5 min", "in 40 s", "2 min ago": how far a time is from now. */
export function describeDistance(at: Date | string, now: Date = new Date()): string {
  const milliseconds = (typeof at === 'string' ? Date.parse(at) : at.getTime()) - now.getTime();
  const seconds = Math.round(Math.abs(milliseconds) / 1000);
  const minutes = Math.round(seconds / 60);
  const hours = Math.round(seconds / 3600);
  const text =
    seconds < 60
      ? `${seconds} s`
      : minutes < 60
        ? `${minutes} min`
        : hours < 24
          ? `${Math.floor(minutes / 60)} h ${minutes % 60} min`
          : `${Math.floor(hours / 24)} d ${hours % 24} h`;
  return milliseconds >= 0 ? `in ${text}` : `${text} ago`;
}

/** Commander's collector for options that may be given more than once (`--variant a --variant b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const text = z.string().trim().min(1, 'must not be empty');

/** The options of `send` and `preview`, as commander hands them over (camelCase keys). */
export const broadcastOptionsSchema = z
  .object({
    topic: z.array(text, { error: 'name at least one topic with --topic' }).min(1, 'name at least one topic'),
    // Refused here as well as by the API: an empty broadcast is never what anyone meant.
    body: z.string({ error: 'give the message with --body' }).trim().min(1, 'must not be empty'),
    urgent: z.boolean().default(false),
    area: z.array(text).optional(),
    ageBand: z.array(z.enum(ageBands, { error: `must be one of ${ageBands.join(', ')}` })).optional(),
    language: z
      .array(z.string().trim().toLowerCase().pipe(z.enum(languages, { error: `must be one of ${languageList}` })))
      .optional(),
    variant: z
      .array(z.string())
      .default([])
      .superRefine((values, ctx) => {
        for (const message of parseVariants(values).problems) ctx.addIssue({ code: 'custom', message });
      }),
    template: text.optional(),
    templateParam: z.array(z.string()).optional(),
    templateLanguage: text.optional(),
    at: z
      .string()
      .superRefine((value, ctx) => {
        const at = parseSendAt(value);
        if (!at.ok) ctx.addIssue({ code: 'custom', message: at.message });
      })
      .optional(),
    draft: z.boolean().default(false),
  })
  .superRefine((options, ctx) => {
    if (options.template === undefined) {
      if (options.templateParam !== undefined) ctx.addIssue({ code: 'custom', path: ['templateParam'], message: 'needs --template <name>' });
      if (options.templateLanguage !== undefined) ctx.addIssue({ code: 'custom', path: ['templateLanguage'], message: 'needs --template <name>' });
    }
  });
export type BroadcastOptions = z.infer<typeof broadcastOptionsSchema>;

/** The request body for options already checked by {@link broadcastOptionsSchema}. */
export function broadcastRequestOf(options: BroadcastOptions): BroadcastRequest {
  const { variants } = parseVariants(options.variant);
  const at = options.at === undefined ? undefined : parseSendAt(options.at);
  const filters = {
    ...(options.area && { areas: options.area }),
    ...(options.ageBand && { ageBands: options.ageBand }),
    ...(options.language && { languages: options.language }),
  };
  return {
    topics: options.topic,
    body: options.body,
    priority: options.urgent ? 'urgent' : 'normal',
    ...(Object.keys(variants).length > 0 && { variants }),
    ...(options.template !== undefined && {
      whatsappTemplate: {
        name: options.template,
        ...(options.templateLanguage !== undefined && { language: options.templateLanguage }),
        parameters: options.templateParam ?? [],
      },
    }),
    ...(Object.keys(filters).length > 0 && { filters }),
    ...(at?.ok && { sendAt: at.at.toISOString() }),
    ...(options.draft && { draft: true }),
  };
}

/** Checks the options; what is wrong is named by option (`age-band`): a usage error, exit 2. */
export function parseBroadcastOptions(options: unknown): BroadcastOptions {
  return parseArguments(broadcastOptionsSchema, options);
}
