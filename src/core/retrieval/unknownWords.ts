/**
 * The words of a question no stored article contains: what /why names when a question is declined
 * ("no stored article mentions 'Townsend'"), so the reader knows which word to change.
 */
import { crossExpansions } from '../crosslang/index.js';
import type { TermIndex } from '../termIndex.js';
import { detectLanguage, terms } from '../text/index.js';

/**
 * The question's words (as typed) whose every search term is unknown to the index, even one edit
 * away, and that no article of the other language holds as a name (Townsend as تاونسند).
 */
export function unknownWords(question: string, index: Pick<TermIndex, 'documentFrequency' | 'similarTerms'>): string[] {
  const heldAcross = new Set(
    crossExpansions(question, detectLanguage(question))
      .filter((expansion) => expansion.spellings.some((spelling) => index.documentFrequency(spelling) > 0))
      .map((expansion) => expansion.term),
  );
  const unknown = new Set<string>();
  for (const word of question.split(/\s+/u)) {
    const bare = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    const wordTerms = terms(bare);
    // A word with no search terms (who, what, من) was never looked for, so it is not "missing".
    if (wordTerms.length === 0 || wordTerms.some((term) => heldAcross.has(term))) continue;
    if (wordTerms.every((term) => index.documentFrequency(term) === 0 && index.similarTerms(term, 1).length === 0)) unknown.add(bare);
  }
  return [...unknown];
}
