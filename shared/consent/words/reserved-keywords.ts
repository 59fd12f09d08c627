import { languageNameWords } from '../../domain/language.js';
import { commandWords, undashed } from './command-words.js';
import { fillerWords } from './filler-words.js';

/**
 * Words a topic may not take as its keyword, because they already mean something: the command
 * words (with and without their dashes), the filler words, and language names.
 */
export const reservedKeywords: ReadonlySet<string> = new Set([
  ...Object.keys(commandWords),
  ...Object.keys(commandWords).map(undashed),
  ...fillerWords,
  ...languageNameWords.keys(),
]);
