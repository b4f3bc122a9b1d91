/**
 * The one term pipeline shared by indexing and querying. Anything that changes here changes both
 * sides at once, which is the point: a query only finds a document if both went through the same steps.
 */
import { foldForMatching } from './normalize.js';
import { stemToken } from './stem.js';
import { isStopWord } from './stopwords.js';
import { wordClassOf } from './wordClasses.js';

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

// Which UTF-16 code units can be part of a word as written, before folding: letters, marks,
// digits, surrogates (astral letters) and the invisible format characters that folding deletes
// (a ZWNJ inside a word must not split it). Permissive on purpose: tokenize() on each word decides.
const WORD_UNIT = new Uint8Array(0x10000);
{
  const wordChar = /[\p{L}\p{M}\p{N}\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff]/u;
  for (let c = 0; c < 0x10000; c++) WORD_UNIT[c] = wordChar.test(String.fromCharCode(c)) ? 1 : 0;
}
const DOT_CODE = 0x2e;

const NO_TERMS: readonly string[] = [];
// Vocabulary is bounded while text is not: folding, stop-word lookup and stemming run once per
// distinct written word, and every later occurrence is one Map lookup. This is most of indexing time.
const WORD_TERMS = new Map<string, readonly string[]>();
const WORD_TERMS_LIMIT = 300_000;

function termsOfTokens(tokens: readonly string[]): readonly string[] {
  const out: string[] = [];
  for (const token of tokens) {
    if (isStopWord(token)) continue;
    const stem = wordClassOf(token) ?? stemToken(token);
    if (stem.length > 0) out.push(stem);
  }
  return out.length === 0 ? NO_TERMS : out;
}

function termsOfWord(word: string): readonly string[] {
  let cached = WORD_TERMS.get(word);
  if (cached === undefined) {
    // Folding one word can still yield several tokens (a ligature, a dotted acronym), hence tokenize.
    cached = termsOfTokens(tokenize(word));
    if (WORD_TERMS.size >= WORD_TERMS_LIMIT) WORD_TERMS.clear();
    WORD_TERMS.set(word, cached);
  }
  return cached;
}

/** Turn text into index/query terms: tokens without stop words, stemmed; order and duplicates kept for term frequency. */
export function terms(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && WORD_UNIT[text.charCodeAt(i)] === 0) i++;
    const start = i;
    // A dot between two word characters stays inside the word, so "u.s." reaches tokenize whole.
    while (i < n && (WORD_UNIT[text.charCodeAt(i)] === 1 || (text.charCodeAt(i) === DOT_CODE && i > start && i + 1 < n && WORD_UNIT[text.charCodeAt(i + 1)] === 1))) i++;
    if (i === start) continue;
    const wordTerms = termsOfWord(text.slice(start, i));
    for (let k = 0; k < wordTerms.length; k++) out.push(wordTerms[k]!);
  }
  return out;
}

/** The distinct terms of a text, for overlap tests. */
export function termSet(text: string): Set<string> {
  return new Set(terms(text));
}
