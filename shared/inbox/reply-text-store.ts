import type { Language } from '../domain/language.js';
import type { ReplyId, ReplyOverrides } from '../domain/replies.js';

/** Operators' own wording of replies, per language; the built-in catalogue fills the gaps. */
export interface ReplyTextStore {
  overrides(): Promise<ReplyOverrides>;
  setOverride(language: Language, replyId: ReplyId, text: string | undefined): Promise<void>;
}
