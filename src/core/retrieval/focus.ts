/**
 * Quoting the part of a long sentence that answers. News sentences, Arabic ones above all, often
 * run to 50–100 words joined by commas and و; a chat answer that quotes all of it buries the fact.
 * A sentence longer than the budget is cut into clauses (at commas, semicolons, colons and dashes,
 * and a clause still too long into runs of words), and the quote is the longest run of clauses
 * within the budget that holds the most of the question's weight and, when the question asks for a
 * number, a time, a name …, a candidate of that kind.
 */
import { terms } from '../text/index.js';
import type { AnswerKind } from '../text/index.js';
import { kindMarks, offersKind } from './answerKinds.js';

/** The question, as the focus step needs it: its terms' spellings and weights, and what kind of answer it asks for. */
export interface FocusQuery {
  readonly spellings: readonly (readonly string[])[];
  readonly weights: readonly number[];
  /** The kind of answer asked for, or undefined when it asks for none in particular. */
  readonly kind: AnswerKind | undefined;
  readonly questionTokens: ReadonlySet<string>;
  readonly kindBonus: number;
}

// A clause ends at a comma, semicolon or colon followed by a space, or at a spaced dash.
const CLAUSE_END = /(?<=[,،;؛:])\s+|\s+(?=[-–—]\s)/u;
const ELLIPSIS = '…';

/** Number of whitespace-separated words, as a reader counts them. */
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/u).length;
}

/**
 * The part of `sentence` to quote when it is longer than `budgetWords`, with an ellipsis where it
 * was cut; the sentence itself when it fits or when no shorter part holds any of the question.
 */
export function focusSentence(sentence: string, query: FocusQuery, budgetWords: number): string {
  if (countWords(sentence) <= budgetWords) return sentence;
  const units = clauseUnits(sentence, Math.max(4, Math.floor(budgetWords / 4)));
  if (units.length < 2) return sentence;
  const unitWords = units.map(countWords);
  const unitTerms = units.map((unit) => terms(unit));
  const unitMasks = unitTerms.map((list) => termMask(list, query.spellings));
  // A run offers the kind when one of its clauses does; clauses are marked once, not once per run.
  const unitOffers = units.map((unit, i) => query.kind !== undefined && offersKind(kindMarks(unit, unitTerms[i]!), query.kind, query.questionTokens));

  let best: { from: number; to: number; score: number; words: number } | undefined;
  for (let from = 0; from < units.length; from++) {
    let words = 0;
    let mask = 0;
    let offers = false;
    for (let to = from; to < units.length; to++) {
      words += unitWords[to]!;
      // Room for the ellipses the cut adds.
      if (words + 2 > budgetWords) break;
      mask |= unitMasks[to]!;
      offers ||= unitOffers[to]!;
      let score = 0;
      for (let i = 0; i < query.weights.length; i++) if (mask & (1 << i)) score += query.weights[i]!;
      if (score === 0) continue;
      if (offers) score *= 1 + query.kindBonus;
      // Equal weight: the tighter run, which is then widened within the budget.
      if (best === undefined || score > best.score || (score === best.score && words < best.words)) best = { from, to, score, words };
    }
  }
  if (best === undefined) return sentence;
  // Widen after the question's words first: in news sentences the fact asked about more often
  // follows the words the question repeats ("… the second-busiest airport, with 70 million …").
  let { from, to, words } = best;
  while (to + 1 < units.length && words + unitWords[to + 1]! + 2 <= budgetWords) words += unitWords[++to]!;
  while (from > 0 && words + unitWords[from - 1]! + 2 <= budgetWords) words += unitWords[--from]!;
  const quote = units.slice(from, to + 1).join(' ');
  return `${from > 0 ? `${ELLIPSIS} ` : ''}${quote}${to < units.length - 1 ? ` ${ELLIPSIS}` : ''}`;
}

/** Clauses of a sentence as written; a clause longer than twice `chunkWords` is cut into runs of `chunkWords` words. */
function clauseUnits(sentence: string, chunkWords: number): string[] {
  const units: string[] = [];
  for (const clause of sentence.split(CLAUSE_END)) {
    const words = clause.trim().split(/\s+/u).filter(Boolean);
    if (words.length === 0) continue;
    if (words.length <= 2 * chunkWords) {
      units.push(words.join(' '));
      continue;
    }
    for (let i = 0; i < words.length; i += chunkWords) units.push(words.slice(i, i + chunkWords).join(' '));
  }
  return units;
}

function termMask(unitTerms: readonly string[], spellings: readonly (readonly string[])[]): number {
  let mask = 0;
  for (const term of unitTerms) {
    for (let i = 0; i < spellings.length; i++) if (spellings[i]!.includes(term)) mask |= 1 << i;
  }
  return mask;
}
