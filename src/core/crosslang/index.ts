/**
 * Cross-language retrieval without a model: CLDR names, month names and transliterated proper
 * names as script-neutral terms, so English questions find Arabic articles and the reverse.
 */
export { crossExpansions, crossTerms, isCrossTerm, isNameCode, skeletonLength, type Expansion } from './crossTerms.js';
export { arabicSkeleton, latinSkeleton } from './skeleton.js';
