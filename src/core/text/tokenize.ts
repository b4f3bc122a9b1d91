/**
 * The one term pipeline shared by indexing and querying. Anything that changes here changes both
 * sides at once, which is the point: a query only finds a document if both went through the same steps.
 */
import { foldForMatching } from './normalize.js';
import { stemToken } from './stem.js';
import { isStopWord } from './stopwords.js';

// A dotted acronym (u.s., u.n., e.g.) first, so it becomes one token instead of single letters that
// would be dropped; then any run of letters, marks and digits.
const TOKEN = /\p{L}(?:\.\p{L})+(?![\p{L}\p{M}\p{N}])|[\p{L}\p{M}\p{N}]+/gu;
const DOT = /\./g;

function isAsciiDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Split text into folded word tokens (Arabic and Latin alike), dropping single letters but keeping single digits. */
export function tokenize(text: string): string[] {
  const matches = foldForMatching(text).match(TOKEN);
  if (matches === null) return [];
  const tokens: string[] = [];
  for (let token of matches) {
    if (token.includes('.')) token = token.replace(DOT, '');
    if (token.length > 1 || isAsciiDigit(token.charCodeAt(0))) tokens.push(token);
  }
  return tokens;
}

/** Turn text into index/query terms: tokens without stop words, stemmed; order and duplicates kept for term frequency. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    if (isStopWord(token)) continue;
    const stem = stemToken(token);
    if (stem.length > 0) out.push(stem);
  }
  return out;
}

/** The distinct terms of a text, for overlap tests. */
export function termSet(text: string): Set<string> {
  return new Set(terms(text));
}
