/**
 * Text handling for akhbar: cleaning, folding, language detection, sentence splitting and the
 * term pipeline shared by indexing and querying.
 */
export { cleanText, foldArabic, foldForMatching } from './normalize.js';
export { detectLanguage } from './language.js';
export { splitSentences } from './sentences.js';
export { ARABIC_STOP_WORDS, ENGLISH_STOP_WORDS, isStopWord } from './stopwords.js';
export { stemArabic, stemEnglish, stemToken } from './stem.js';
export { tokenize, terms, termSet } from './tokenize.js';
export { questionWordKind, type AnswerKind } from './questionWords.js';
export { REPORTING_CLASS, wordClassOf } from './wordClasses.js';
export { arabicRoot } from './root.js';
