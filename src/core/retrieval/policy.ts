/**
 * Every tuned constant of retrieval and answering, with where its value came from. Values were
 * chosen on the dev halves (articles split by a hash of their title, see `npm run bench -- articles`)
 * of the whole-article xquad-ar, arcd-train and xquad-en sets (the confidence model also on the
 * dev halves' questions asked of the other Arabic set). The held-out halves, saudinewsnet and the
 * example articles were never used to choose them.
 */
export const RETRIEVAL_POLICY = {
  /**
   * BM25+ for sentences (Lv & Zhai 2011): k1 and b are the textbook values; delta is a floor on
   * what a matched term earns, so a long sentence holding more of the question is not beaten by a
   * short one holding one rare word.
   */
  sentenceBm25: { k1: 1.2, b: 0.75, delta: 1 },
  /** Exponent on collection idf mixed into the in-article idf; 0 is in-article idf alone. */
  globalIdfExponent: 0,
  /**
   * Share of a question word's weight that a sentence earns when it holds the word only as another
   * form of the same Arabic root (تكلفة for كلفت). Chosen on the dev halves among 0.3, 0.5 and 0.7
   * (0.5 and 0.7 tied; the lower one trusts the rootless ISRI stemmer less).
   */
  rootMatchShare: 0.5,
  /**
   * Share of a question word's in-article weight kept when the headline holds it: the story's own
   * name does not tell its sentences apart. Chosen on the dev halves among 1, 0.7, 0.5 and 0.3
   * (0.7 and 0.5 tied on arcd-train, +1.6 points; xquad titles are English over Arabic text, no effect).
   */
  titleTermShare: 0.5,
  /** Share of a question word's weight that counts when only the previous sentence holds it. */
  previousSentenceShare: 0.3,
  /** Relative bonus for a sentence holding the kind of answer asked for (number, time, name …). */
  kindBonus: 0.3,
  /** Share of the question's weight a neighbouring sentence must add to join the answer. */
  complementMinShare: 0.25,
  /** Two sentences make an answer only when together they are at most this many of the article's average sentences long. */
  complementMaxLength: 1.5,
  /**
   * Longest answer quoted whole, in words: about two lines of a phone chat. Not tuned: a reader's
   * budget, and about the length of two average news sentences (the benchmark sets average 21–27
   * words a sentence). A longer answer sentence is cut to its clauses that hold the answer.
   */
  maxAnswerWords: 40,
  /**
   * Two articles sharing at least this share of their distinct terms (Jaccard) are taken for one
   * story told twice (two outlets, a reflowed copy), not for two stories competing for a question.
   * Not tuned: rewrites of one story share well over half their words, distinct stories on one
   * subject far less.
   */
  sameStoryOverlap: 0.5,
  /**
   * Share of BM25 weight an article earns for a term of the other language the question was
   * expanded into (a CLDR name, a name skeleton) against one the question wrote itself. Chosen on
   * the dev halves of the cross-language runs (xquad-en questions on xquad-ar articles and the
   * reverse) among 0.5, 0.7 and 1.
   */
  crossTermShare: 0.7,
  /**
   * Name skeletons at least this many consonants long also match stored skeletons one edit away.
   * Not tuned: at three consonants one edit reaches a large share of all skeletons.
   */
  minFuzzySkeleton: 4,
  /**
   * An answer from an article in the other language must rest on a name both hold: a CLDR name, or
   * a name skeleton of at least this many consonants. A year or a three-consonant skeleton alone
   * (Jared is krd, as الكردية is) cited unrelated articles as often as the right one. Chosen on the
   * dev halves among 3, 4, 5 and no such floor, as the shortest at which right answers outnumber
   * wrong ones: citing the wrong article, or answering a question no stored article answers
   * (arcd-train questions on xquad-en articles and the reverse). At 4: 142 right, 103 wrong; at 3:
   * 198 right, 234 wrong; with no floor 216 right, 309 wrong.
   */
  minCrossLanguageName: 4,
  /** Below this share of the question's weight in the best article, the article is about something else. */
  minArticleCoverage: 0.35,
  /**
   * Logistic weights of answer confidence, fitted (gradient descent on log-loss) to tell answerable
   * questions from unanswerable ones on the dev halves of whole-article xquad-ar, xquad-en and
   * arcd-train: their on-topic unanswerables and their questions asked of the other Arabic set's
   * articles, among questions that pass the floors above. `questionTerms` enters as ln(1 + terms):
   * the same coverage of a longer question is stronger evidence.
   */
  confidenceWeights: { bias: -3.91, sentenceCoverage: 3.76, specificCoverage: 2.12, articleCoverage: 0.72, kindFound: 0.54, questionTerms: 1.34, runnerUp: -2.97 },
  /**
   * Below this confidence the bot declines: the highest threshold at which the dev halves' strict
   * answer hit stays within one point of answering every question that passes the floors, so that
   * the refusals it adds fall on questions the engine would have answered wrongly.
   */
  minAnswerConfidence: 0.305,
  /**
   * The same for an answer from an article in the other language, whose evidence is names and
   * numbers only. Kept at the same-language value: on the dev halves of the cross-language runs
   * and of arcd-train questions asked of the xquad-en articles, thresholds from 0.2 to 0.7 cut
   * right answers about as fast as wrong ones (the model was fitted on same-language evidence).
   */
  minCrossLanguageConfidence: 0.305,
} as const;
