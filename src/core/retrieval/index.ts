/**
 * Retrieval: reading a question, finding the articles and the sentence that answer it, and how
 * sure that evidence is.
 */
export { articleTerms, retrieveEvidence, sharedNameTerms, splitArticle, type Evidence, type RetrievalOptions, type SimilarArticle, type SplitArticle } from './evidence.js';
export { fuseRanks, RRF_K } from './fusion.js';
export { mergeEvidence } from './merge.js';
export { analyzeQuestion, type QuestionAnalysis } from './question.js';
export { RETRIEVAL_POLICY } from './policy.js';
export { answerConfidence, declineReason, isAnswerable } from './decline.js';
export { unknownWords } from './unknownWords.js';
