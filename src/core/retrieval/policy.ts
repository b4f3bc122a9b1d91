/**
 * Every tuned constant of retrieval and answering, with where its value came from. Values were
 * chosen on the dev halves (articles split by a hash of their title, see `npm run bench -- articles`)
 * of the whole-article xquad-ar, arcd-train and xquad-en sets; the confidence model was fitted on the
 * xquad-ar and arcd-train dev halves only. The held-out halves, saudinewsnet and the example
 * articles were never used to choose them.
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
  /** Share of a question word's weight that counts when only the previous sentence holds it. */
  previousSentenceShare: 0.3,
  /** Relative bonus for a sentence holding the kind of answer asked for (number, time, name …). */
  kindBonus: 0.3,
  /** Share of the question's weight a neighbouring sentence must add to join the answer. */
  complementMinShare: 0.25,
  /** Two sentences make an answer only when together they are at most this many of the article's average sentences long. */
  complementMaxLength: 1.5,
  /** Below this share of the question's weight in the best article, the article is about something else. */
  minArticleCoverage: 0.35,
  /**
   * Logistic weights of answer confidence, fitted (gradient descent on log-loss) to tell answerable
   * from on-topic unanswerable questions on the dev halves of whole-article xquad-ar and arcd-train,
   * among questions that pass the article-coverage floor.
   */
  confidenceWeights: { bias: -0.82, sentenceCoverage: 1.53, specificCoverage: 2.51, articleCoverage: 0.66, kindFound: 0.46 },
  /** Below this confidence the bot declines; chosen on the same dev halves, where about 7 % of answerable questions are then declined in all. */
  minAnswerConfidence: 0.6,
} as const;
