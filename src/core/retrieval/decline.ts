/**
 * When to say "not in the stored articles". A wrong answer with a citation is worse than an honest
 * refusal: the reader trusts the citation. Off-topic questions are caught by how little of the
 * question the best article holds; questions about a stored story whose fact is not stored are
 * caught by how little of the question's specific part (the words that single out one fact) the
 * answer sentence holds, and by whether it holds the kind of answer asked for.
 */
import type { DeclineReason } from '../types.js';
import type { Evidence } from './evidence.js';
import { RETRIEVAL_POLICY as POLICY } from './policy.js';


/** Whether the evidence is strong enough to answer from, or the question should be declined. */
export function isAnswerable(evidence: Evidence): boolean {
  return declineReason(evidence) === undefined;
}

/** The reason to decline the question on this evidence; undefined when it is answerable. */
export function declineReason(evidence: Evidence): DeclineReason | undefined {
  if (evidence.passages.length === 0) return 'no-candidate';
  // A question of two or more terms needs two of them in one article: a single shared name
  // ("Japan" in an article about a book fair) is not evidence of an answer.
  if (evidence.matchedTerms < Math.min(2, evidence.askedTerms)) return 'one-term';
  // Across languages only names are evidence: a shared year or a short skeleton meets unrelated articles.
  if (evidence.crossLanguage && evidence.sharedNames === 0) return 'no-shared-name';
  if (evidence.articleCoverage < POLICY.minArticleCoverage) return 'low-coverage';
  // "What was the population in 1901?" of an article that never mentions 1901 asks about another fact.
  if (evidence.numberAbsent) return 'number-absent';
  return answerConfidence(evidence) >= (evidence.crossLanguage ? POLICY.minCrossLanguageConfidence : POLICY.minAnswerConfidence) ? undefined : 'low-confidence';
}

/** How likely the evidence holds the answer, 0..1: a logistic model over the evidence's coverage figures. */
export function answerConfidence(evidence: Evidence): number {
  const w = POLICY.confidenceWeights;
  const z =
    w.bias +
    w.sentenceCoverage * evidence.sentenceCoverage +
    w.specificCoverage * evidence.specificCoverage +
    w.articleCoverage * evidence.articleCoverage +
    (evidence.kindFound ? w.kindFound : 0) +
    w.questionTerms * Math.log(1 + evidence.questionTerms) +
    w.runnerUp * evidence.runnerUp;
  return 1 / (1 + Math.exp(-z));
}
