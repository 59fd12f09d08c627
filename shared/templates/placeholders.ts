/**
 * A saved template's own placeholders, written `((name))` as GOV.UK Notify writes them: filled
 * ONCE for a whole broadcast by the person who starts it ("((road))" → "A470"), unlike a
 * broadcast's `{{area}}`, which the sender fills per resident from their profile. Two spellings of
 * one name ("((Road))", "(( road ))") are one placeholder. Hand-written because the grammar is
 * one pattern and each mistake must be reported with its position; no template engine uses
 * double parentheses.
 */

/** What a placeholder's name may be: a word or a few, as Notify's users write them ("((date of event))"). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9 _-]{0,39}$/;

export interface TemplatePlaceholder {
  /** How it is matched: trimmed, lower-cased, inner spaces collapsed. */
  key: string;
  /** As first written, without its parentheses. */
  name: string;
}

export type ParsedPlaceholders = { ok: true; placeholders: TemplatePlaceholder[] } | { ok: false; errors: string[] };

export function placeholderKey(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The `((name))` placeholders of a text, in order of first use, or what is wrong with them by 1-based character position. */
export function templatePlaceholders(text: string): ParsedPlaceholders {
  const placeholders: TemplatePlaceholder[] = [];
  const errors: string[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('((', at);
    if (open === -1) break;
    const close = text.indexOf('))', open + 2);
    if (close === -1) {
      errors.push(`"((" at character ${open + 1} is never closed with "))"`);
      break;
    }
    const inside = text.slice(open + 2, close);
    const name = inside.trim();
    if (!NAME.test(name)) {
      errors.push(
        `"((${inside}))" at character ${open + 1} is not a placeholder name: use up to 40 letters, digits, spaces, dashes or underscores, such as ((road))`,
      );
    } else if (!placeholders.some((known) => known.key === placeholderKey(name))) {
      placeholders.push({ key: placeholderKey(name), name });
    }
    at = close + 2;
  }
  return errors.length ? { ok: false, errors } : { ok: true, placeholders };
}

/** The placeholders of several texts together, each once, in order of first use; texts with errors add none. */
export function placeholdersOf(texts: readonly string[]): TemplatePlaceholder[] {
  const all: TemplatePlaceholder[] = [];
  for (const text of texts) {
    const parsed = templatePlaceholders(text);
    if (!parsed.ok) continue;
    for (const placeholder of parsed.placeholders) if (!all.some((known) => known.key === placeholder.key)) all.push(placeholder);
  }
  return all;
}

/** The text with each `((name))` whose key has a value replaced by it; the others stay as written. */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\(\(([^()]*)\)\)/g, (whole, name: string) => {
    const value = values[placeholderKey(name)];
    return value === undefined ? whole : value;
  });
}

/**
 * Why a value cannot fill a placeholder, or undefined when it can: it must say something, and
 * must not bring placeholders of either kind with it (they would be filled, or refused, later).
 */
export function placeholderValueProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) return 'must not be empty';
  if (trimmed.length > 200) return 'must be at most 200 characters';
  if (/\(\(|\)\)|\{\{|\}\}/.test(trimmed)) return 'must not contain "((", "))", "{{" or "}}"';
  return undefined;
}
