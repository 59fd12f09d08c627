import { withStopFooter } from '../../shared/domain/replies.js';
import { gsmReplacement, smsPreview } from '../../shared/domain/sms-preview.js';
import { count } from './format.js';

/**
 * The character and segment count of one text as residents will get it by SMS: with the usual
 * STOP footer (the check page shows the exact one), and the characters forcing UCS-2 named.
 */
export function counterView(text: string) {
  if (!text.trim()) return { empty: true, characters: 0, segments: 0, encoding: 'GSM-7', unicodeCharacters: [] as string[], summary: '', warning: '', replaceable: false };
  const preview = smsPreview(withStopFooter(text));
  const unicodeWarning = preview.warnings.find((warning) => warning.code === 'unicode_doubles_cost' || warning.code === 'unicode_raises_cost');
  const quoted = preview.unicodeCharacters.map((character) => `"${character}"`);
  const named = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}` : (quoted[0] ?? '');
  return {
    empty: false,
    characters: preview.characters,
    segments: preview.segments,
    encoding: preview.encoding,
    unicodeCharacters: preview.unicodeCharacters,
    summary: `${count(preview.characters)} characters, ${preview.segments} SMS segment${preview.segments === 1 ? '' : 's'}, with the STOP footer`,
    // The preview warns when the cost goes up; a page names the characters even when it does not (yet).
    warning: preview.unicodeCharacters.length
      ? (unicodeWarning?.message ?? `${named} ${preview.unicodeCharacters.length === 1 ? 'is' : 'are'} outside the GSM-7 alphabet, so the message goes as UCS-2, at 70 characters a segment instead of 160.`)
      : '',
    replaceable: preview.unicodeCharacters.some((character) => gsmReplacement(character) !== undefined),
  };
}
