/**
 * Reading a question: its search terms, and the kind of answer it asks for (a time, a number, a
 * person, a cause, what someone said, yes or no), in MSA, dialect or English.
 */
import { questionWordKind, REPORTING_CLASS, terms, tokenize, type AnswerKind } from '../text/index.js';

/** A question ready for retrieval. */
export interface QuestionAnalysis {
  /** Distinct search terms, in question order. */
  readonly terms: readonly string[];
  readonly kind: AnswerKind;
  /** Every folded token of the question, so an answer candidate the question itself names is not taken for the answer. */
  readonly tokens: ReadonlySet<string>;
}

// Words that frame a question rather than name what it is about: "what is the name of the mayor"
// asks for the mayor, and an article names its mayor without the word "name".
const FRAME_WORDS = new Set(tokenize('name named اسم اسمه اسمها واسم'));
const FRAME_TERMS = new Set([...FRAME_WORDS].flatMap((word) => terms(word)));

const HOW_ADJECTIVES = new Set(['many', 'much', 'old', 'long', 'big', 'large', 'far', 'high', 'tall', 'often', 'soon', 'large']);

// "how many", "what year", "أي عام": the word after an open question word decides the kind.
const KIND_AFTER_OPEN_WORD = new Map<string, AnswerKind>();
const KIND_NOUNS: [AnswerKind, string][] = [
  ['quantity', 'many much old long big large far high tall often percentage percent number amount proportion size cost price budget population عدد نسبه مبلغ كميه حجم كلفه تكلفه سعر ثمن ميزانيه'],
  ['time', 'year years date day month century time decade period عام سنه يوم شهر تاريخ قرن وقت'],
  ['place', 'country city place town region state location area continent بلد مدينه دوله منطقه مكان محافظه ولايه'],
  ['person', 'person man woman player company organization team مؤسسه شركه شخص رجل منظمه'],
];
for (const [kind, words] of KIND_NOUNS) for (const word of tokenize(words)) KIND_AFTER_OPEN_WORD.set(word, kind);

const ENGLISH_AUXILIARIES = new Set(['is', 'are', 'was', 'were', 'do', 'does', 'did', 'can', 'could', 'will', 'would', 'has', 'have', 'had', 'should']);
const ARABIC_WHO = new Set(['من', 'ومن', 'فمن']);
const ARABIC_WHICH = new Set(['اي', 'ايه', 'باي', 'في', 'ما', 'كم', 'ماهو', 'ماهي', 'هو', 'هي']);

/** Splits a question into search terms and the kind of answer it wants. */
export function analyzeQuestion(question: string): QuestionAnalysis {
  const tokens = tokenize(question);
  // "how big", "how old": the adjective only says a size or an age is wanted; the article says "4.5 %".
  const howWhat = new Set(tokens.filter((token, i) => tokens[i - 1] === 'how' && HOW_ADJECTIVES.has(token)).flatMap((token) => terms(token)));
  const questionTerms = [...new Set(terms(question))].filter((term) => !FRAME_TERMS.has(term) && !howWhat.has(term));
  return { terms: questionTerms, kind: answerKind(tokens, questionTerms), tokens: new Set(tokens) };
}

function answerKind(tokens: readonly string[], questionTerms: readonly string[]): AnswerKind {
  const first = tokens[0];
  if (first === undefined) return 'other';
  if (ENGLISH_AUXILIARIES.has(first)) return 'yesno';
  // The question word is near the start in MSA and English, and may come last in dialect ("سافر وين؟").
  const positions = [0, 1, 2, tokens.length - 1];
  for (const at of positions) {
    const token = tokens[at];
    if (token === undefined) continue;
    if (at === 0 && ARABIC_WHO.has(token)) return 'person';
    const kind = questionWordKind(token);
    if (kind === undefined) continue;
    if (kind !== 'other') return kind;
    // "what year", "how many", "ما عدد": look a few words further for the noun that names the kind.
    for (let k = at + 1; k <= at + 3 && k < tokens.length; k++) {
      const noun = KIND_AFTER_OPEN_WORD.get(tokens[k]!);
      if (noun !== undefined) return noun;
      if (!ARABIC_WHICH.has(tokens[k]!) && !ENGLISH_AUXILIARIES.has(tokens[k]!) && tokens[k] !== 'the') break;
    }
    break;
  }
  // "أي عام", "في أي سنة", "ما عدد" without a question word of their own.
  for (let k = 0; k < Math.min(tokens.length, 4); k++) {
    if (ARABIC_WHICH.has(tokens[k]!) || tokens[k] === 'which' || tokens[k] === 'what') {
      const noun = KIND_AFTER_OPEN_WORD.get(tokens[k + 1] ?? '');
      if (noun !== undefined) return noun;
    }
  }
  return questionTerms.includes(REPORTING_CLASS) ? 'statement' : 'other';
}
