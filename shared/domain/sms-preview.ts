/**
 * What an SMS will cost before it is sent: encoding, length, segments, and warnings a writer can
 * act on. The counting is Twilio's sms-segments-calculator (the same rules as Twilio's own
 * segment calculator: GSM-7 and its extension table, UCS-2, the user data header of a
 * concatenated message); this module only reads its results and words the advice.
 *
 * How SMS is billed: one segment carries 160 GSM-7 characters, or 153 each once a message needs
 * more than one (7 go to the header that joins them). A single character outside GSM-7 (a curly
 * apostrophe pasted from a word processor, an emoji, the Welsh ŵ) sends the whole message as
 * UCS-2, at 70 characters a segment (67 when joined), which can double the cost or worse. GSM-7's
 * extension characters (€ [ ] { } | ^ ~ \ and the form feed) take two of the 160.
 */
import { SegmentedMessage } from 'sms-segments-calculator';
import { z } from 'zod';

export const previewWarningCodes = [
  'unicode_doubles_cost',
  'unicode_raises_cost',
  'extension_characters_add_segment',
  'next_character_adds_segment',
  'just_over_segment_boundary',
] as const;
export type PreviewWarningCode = (typeof previewWarningCodes)[number];

export interface PreviewWarning {
  code: PreviewWarningCode;
  message: string;
}

export interface SmsPreview {
  encoding: 'GSM-7' | 'UCS-2';
  /** As the network counts them against a segment: septets in GSM-7 (an extension character is 2), UTF-16 units in UCS-2 (an emoji is 2). */
  characters: number;
  segments: number;
  /** The distinct characters that force UCS-2, in order of appearance. */
  unicodeCharacters: string[];
  /** The segments it would take with those characters replaced (see {@link gsmReplacement}); undefined when it is GSM-7 already. */
  segmentsWithoutUnicode: number | undefined;
  warnings: PreviewWarning[];
}

/** How many characters over a segment boundary are still worth a "cut N characters" warning. */
export const fewCharacters = 10;

/**
 * A GSM-7 stand-in for a character outside it (’ → ', “ → ", – → -, … → ..., a no-break space →
 * a space), or undefined when there is none (ŵ, á, emoji). The table is Twilio's Smart Encoding
 * map as the library ships it, except that it turns the exotic spaces into two spaces, where a
 * writer expects one.
 */
export function gsmReplacement(character: string): string | undefined {
  if (new SegmentedMessage(character).encodingName === 'GSM-7') return undefined;
  const smart = new SegmentedMessage(character, 'auto', true);
  if (smart.encodingName !== 'GSM-7') return undefined;
  const replacement = smart.graphemes.join('');
  return /^\s+$/.test(replacement) ? ' ' : replacement;
}

/** The text with every character that has a GSM-7 stand-in replaced by it: what a "fix it" button would send. */
export function withGsmReplacements(text: string): string {
  return new SegmentedMessage(text).graphemes.map((grapheme) => gsmReplacement(grapheme) ?? grapheme).join('');
}

/** Invisible characters are named by code point, so a warning can say what to look for. */
function shown(character: string): string {
  return /^[\s\p{Cf}]+$/u.test(character)
    ? `the invisible ${[...character].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ')}`
    : `"${character}"`;
}

function listed(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

const segmentsText = (count: number) => `${count} segment${count === 1 ? '' : 's'}`;

function unicodeWarning(unicodeCharacters: string[], segments: number, withoutUnicode: number): PreviewWarning {
  const replaceable = unicodeCharacters.flatMap((character) => {
    const replacement = gsmReplacement(character);
    return replacement === undefined ? [] : [`${shown(character)} with "${replacement}"`];
  });
  const irreplaceable = unicodeCharacters.filter((character) => gsmReplacement(character) === undefined).map(shown);
  const advice = [
    replaceable.length ? `Replace ${listed(replaceable)}.` : '',
    irreplaceable.length ? `${listed(irreplaceable)} ${irreplaceable.length === 1 ? 'has' : 'have'} no GSM-7 equivalent: rephrase if the cost matters.` : '',
  ].filter(Boolean);
  const names = listed(unicodeCharacters.map(shown));
  return {
    code: segments >= 2 * withoutUnicode ? 'unicode_doubles_cost' : 'unicode_raises_cost',
    message: [
      `${names} ${unicodeCharacters.length === 1 ? 'is' : 'are'} outside the GSM-7 alphabet, so the whole message goes as UCS-2: ${segmentsText(segments)} instead of ${withoutUnicode}.`,
      ...advice,
    ].join(' '),
  };
}

function septets(message: SegmentedMessage): number {
  return message.encodedChars.reduce((sum, encoded) => sum + encoded.codeUnits.length, 0);
}

/** Encoding, length, segments and advice for one SMS text. */
export function smsPreview(text: string): SmsPreview {
  const message = new SegmentedMessage(text);
  const segments = message.segmentsCount;
  const unicodeCharacters = [...new Set(message.getNonGsmCharacters())];
  const warnings: PreviewWarning[] = [];

  let segmentsWithoutUnicode: number | undefined;
  if (message.encodingName === 'UCS-2') {
    // A character with no stand-in is counted as one GSM-7 character: the cost of rephrasing it away.
    const replaced = message.graphemes.map((grapheme) => (unicodeCharacters.includes(grapheme) ? (gsmReplacement(grapheme) ?? '?') : grapheme));
    segmentsWithoutUnicode = new SegmentedMessage(replaced.join('')).segmentsCount;
    if (segmentsWithoutUnicode < segments) warnings.push(unicodeWarning(unicodeCharacters, segments, segmentsWithoutUnicode));
  } else {
    const doubled = [...new Set(message.encodedChars.filter((encoded) => encoded.codeUnits.length === 2).map((encoded) => encoded.raw))];
    if (doubled.length) {
      const single = new SegmentedMessage(message.graphemes.map((grapheme) => (doubled.includes(grapheme) ? '.' : grapheme)).join('')).segmentsCount;
      if (single < segments) {
        warnings.push({
          code: 'extension_characters_add_segment',
          message: `${listed(doubled.map(shown))} ${doubled.length === 1 ? 'counts' : 'count'} as two characters in GSM-7, which takes the message to ${segmentsText(segments)} instead of ${single}.`,
        });
      }
    }
  }

  if (new SegmentedMessage(`${text}a`).segmentsCount > segments) {
    warnings.push({
      code: 'next_character_adds_segment',
      message: `The message fills ${segmentsText(segments)} exactly: one more character makes it ${segments + 1}.`,
    });
  }

  if (segments > 1) {
    for (let cut = 1; cut <= fewCharacters && cut < message.graphemes.length; cut += 1) {
      const shorterMessage = new SegmentedMessage(message.graphemes.slice(0, -cut).join(''));
      const shorter = shorterMessage.segmentsCount;
      // Cutting the one character that forced UCS-2 saves more than length: the unicode warning says so, not this one.
      if (shorter < segments && shorterMessage.encodingName === message.encodingName) {
        warnings.push({
          code: 'just_over_segment_boundary',
          message: `Cutting ${cut} character${cut === 1 ? '' : 's'} would make it ${segmentsText(shorter)} instead of ${segments}.`,
        });
        break;
      }
    }
  }

  return {
    encoding: message.encodingName,
    characters: septets(message),
    segments,
    unicodeCharacters,
    segmentsWithoutUnicode,
    warnings,
  };
}

const rate = z.number().nonnegative().finite();
/** Rates for particular destination countries (ISO 3166 alpha-2, e.g. `{ "IE": 0.07 }`); others pay the channel's default. */
const ratesByCountry = z.record(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 country code such as "IE"'), rate);

/**
 * What a send costs, per channel and destination country, in the currency's major unit (pounds).
 * SMS is billed per segment, WhatsApp per message (a business-initiated template conversation).
 * `perSegment` / `perMessage` are the rates for any country `byCountry` does not name. Every
 * figure is an ESTIMATE the operator sets from their provider's rate card; what a provider
 * reports it charged is recorded separately (see shared/domain/costs.ts).
 */
export const priceTableSchema = z.strictObject({
  sms: z.strictObject({ perSegment: rate, byCountry: ratesByCountry.optional() }),
  whatsapp: z.strictObject({ perMessage: rate, byCountry: ratesByCountry.optional() }),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as "GBP"')
    .default('GBP'),
});
export type PriceTable = z.infer<typeof priceTableSchema>;

/**
 * ESTIMATES, for when the operator has set no prices; check the provider's current rate card.
 * SMS: Twilio's UK outbound rate is about US$0.05 a segment, roughly £0.04; Ireland about £0.07;
 * the US and Canada about £0.01; elsewhere assumed £0.08 (international SMS costs more). WhatsApp:
 * Meta's UK rate for a utility template is about £0.016, plus the provider's fee, roughly £0.02;
 * elsewhere assumed £0.03.
 */
export const defaultPriceTable: PriceTable = {
  sms: { perSegment: 0.08, byCountry: { GB: 0.04, IE: 0.07, US: 0.01, CA: 0.01 } },
  whatsapp: { perMessage: 0.03, byCountry: { GB: 0.02 } },
  currency: 'GBP',
};

/**
 * The table as a deployment sees it for its own country: the home rates become the channel
 * defaults, which is what an audience preview (which does not look at each number) prices with.
 */
export function homePrices(prices: PriceTable, country: string): PriceTable {
  return {
    sms: { perSegment: prices.sms.byCountry?.[country] ?? prices.sms.perSegment },
    whatsapp: { perMessage: prices.whatsapp.byCountry?.[country] ?? prices.whatsapp.perMessage },
    currency: prices.currency,
  };
}

export interface CostEstimate {
  currency: string;
  sms: number;
  whatsapp: number;
  total: number;
}

/** The currency's minor-unit digits (GBP 2, JPY 0), as Intl knows them. */
function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * The cost of sending to an audience: each channel rounded to the nearest minor unit (penny),
 * and the total the sum of the rounded parts, so the figures shown add up.
 * @throws RangeError for a count that is not a whole number of at least 0.
 */
export function estimateCost(audience: { sms: number; whatsapp: number }, smsSegments: number, prices: PriceTable): CostEstimate {
  for (const [name, count] of [['sms audience', audience.sms], ['whatsapp audience', audience.whatsapp], ['segments', smsSegments]] as const) {
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`${name} must be a whole number of at least 0, not ${count}`);
  }
  const scale = 10 ** minorDigits(prices.currency);
  const sms = Math.round(audience.sms * smsSegments * prices.sms.perSegment * scale);
  const whatsapp = Math.round(audience.whatsapp * prices.whatsapp.perMessage * scale);
  return { currency: prices.currency, sms: sms / scale, whatsapp: whatsapp / scale, total: (sms + whatsapp) / scale };
}

/**
 * Texts whose segment count is kept: a broadcast sends the same few texts (one per language) to
 * every resident, and counting a text's segments (grapheme by grapheme) was ~6% of the local
 * stack's sending thread at 40 msg/s (a CPU profile of `npm run bench`), twice per send.
 */
const KEPT_COUNTS = 256;
const segmentCounts = new Map<string, number>();

/** Just the segment count of one text: what each resident's own message costs in a preview, and in the send's pacing and price. */
export function smsSegmentsOf(text: string): number {
  const kept = segmentCounts.get(text);
  if (kept !== undefined) return kept;
  const segments = new SegmentedMessage(text).segmentsCount;
  // The oldest text goes first (a Map keeps insertion order): a bound, not an LRU, which texts
  // repeated to thousands of residents in a row do not need, so no cache library for it.
  if (segmentCounts.size >= KEPT_COUNTS) segmentCounts.delete(segmentCounts.keys().next().value as string);
  segmentCounts.set(text, segments);
  return segments;
}
