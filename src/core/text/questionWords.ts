/**
 * Question words of Modern Standard Arabic, the main dialects and English, grouped by the kind of
 * answer they ask for. They are never search terms (they are in the stop list); they tell the
 * answer step what the sentence holding the answer must contain: a time, a number, a cause …
 */
import { foldForMatching } from './normalize.js';

/** What a question asks for. */
export type AnswerKind = 'person' | 'time' | 'place' | 'quantity' | 'reason' | 'statement' | 'yesno' | 'other';

// Written as readers write them; folded at load. "من" means "who" only as a question's first word
// (elsewhere it is "from"), so it is handled by position in question analysis, not listed here.
const QUESTION_WORDS: Record<Exclude<AnswerKind, 'statement' | 'other'>, string> = {
  person: 'مين منو مينو شكون اشكون شكونه who whom whose whos',
  time: 'متى امتى إمتى ايمتى إيمتى امتا وقتاش إمتا when whens',
  place: 'أين وين فين فاين وينو وينه منين لوين where wheres',
  quantity: 'كم شحال قديش قداش قدّيش كام بكم بكام',
  reason: 'لماذا ليش ليه علاش لاش لشو why whys',
  yesno: 'هل واش',
};
// Words that open a question without saying what kind of answer it wants ("what", "how").
const OPEN_QUESTION_WORDS = 'ماذا ايش إيش شو شنو شنهو اشنو أشنو ايه إيه كيف كيفاش ازاي إزاي شلون what whats which how';

const KIND_OF = new Map<string, AnswerKind>();
for (const [kind, list] of Object.entries(QUESTION_WORDS) as [AnswerKind, string][]) {
  for (const word of list.split(' ')) KIND_OF.set(foldForMatching(word), kind);
}
for (const word of OPEN_QUESTION_WORDS.split(' ')) KIND_OF.set(foldForMatching(word), 'other');

/** The answer kind a folded question word asks for, or undefined when the token is no question word. */
export function questionWordKind(foldedToken: string): AnswerKind | undefined {
  return KIND_OF.get(foldedToken);
}

/** Every question word, written as readers write it, for the stop list. */
export const QUESTION_WORD_LIST: readonly string[] = [
  ...Object.values(QUESTION_WORDS).flatMap((list) => list.split(' ')),
  ...OPEN_QUESTION_WORDS.split(' '),
];
