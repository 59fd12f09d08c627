/*
 * How a resident's text is made comparable with the word tables: one spelling per word, whatever
 * the phone did to case, accents, dashes, apostrophes and emoji.
 */

/**
 * Upper case, NFKC (full-width letters, ligatures), and everything but letters, digits, dashes
 * and single spaces stripped: emoji, punctuation, control and format characters (RTL marks,
 * zero-width joiners). Letters keep their accents (CAFÉ) and their combining marks; an apostrophe
 * inside a word is dropped (DON'T → DONT) so contractions stay one word. A dash is kept only
 * inside a word (OPT-OUT, AREA-CF10); dashes around words are punctuation ("-STOP-" → STOP), and
 * the typographic dashes phones substitute (‐ ‑ – —) count as dashes.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/(?<=[\p{L}\p{M}])['’ʼ‘`´](?=\p{L})/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{M}\p{N}\s-]/gu, ' ')
    .replace(/(?<![\p{L}\p{M}\p{N}])\p{M}+/gu, ' ')
    .replace(/-{2,}/g, '-')
    .replace(/(?<![\p{L}\p{M}\p{N}])-|-(?![\p{L}\p{M}\p{N}])/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Removes the accents (and any other combining marks) of Latin letters: SÍ → SI, ŴY → WY. Other scripts are left whole. */
export function foldAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/(?<=\p{Script=Latin}\p{M}*)\p{M}/gu, '')
    .normalize('NFC');
}
