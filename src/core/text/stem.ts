/**
 * Stemming for retrieval. The goal is not linguistic correctness but agreement: every inflected or
 * prefixed form of a word should land on the same key, even if that key is not a real word
 * (وزير / الوزير / والوزير all become زير).
 */
import { stemmer } from 'stemmer';

// Conjunction + preposition + article (وبال, فال, كال, ال) or conjunction + ل fused with the article (للـ, ولل).
const ARTICLE_PREFIX = /^(?:[\u0648\u0641]?[\u0628\u0643]?\u0627\u0644|[\u0648\u0641]?\u0644\u0644)/;
const WAW = 0x0648;
const FA = 0x0641;
const ALEF = 0x0627;
// Light10's suffixes (ة/ية are already ه/يه after folding), tried in this order, each at most once.
const SUFFIXES = ['ها', 'ان', 'ات', 'ون', 'ين', 'يه', 'ه', 'ي'] as const;

/** Light-stem a folded Arabic word (Light10-style) so its prefixed and suffixed forms share one stem. */
export function stemArabic(folded: string): string {
  // Three letters is already a bare root more often than not; stripping would merge unrelated words.
  if (folded.length <= 3) return folded;
  let w = folded;

  // Two letters may remain after the article: الدم → دم, and بالدم must agree with it.
  const article = ARTICLE_PREFIX.exec(w);
  if (article !== null && w.length - article[0].length >= 2) w = w.slice(article[0].length);

  // A leading و/ف is stripped even after an article (الوزير → زير) so that it agrees with وزير → زير;
  // the ≥3 threshold depends only on the word without its article, which keeps the forms consistent.
  const first = w.charCodeAt(0);
  if ((first === WAW || first === FA) && w.length - 1 >= 3) {
    w = w.slice(1);
    const again = ARTICLE_PREFIX.exec(w);
    if (again !== null && w.length - again[0].length >= 2) w = w.slice(again[0].length);
  }

  // Accusative tanween (منزلا، رقما، جديدا) is the outermost ending: without it منزلا never meets منزل.
  if (w.length - 1 >= 3 && w.charCodeAt(w.length - 1) === ALEF) w = w.slice(0, -1);

  for (const suffix of SUFFIXES) {
    const keep = suffix.length === 2 ? 3 : 2;
    if (w.length - suffix.length >= keep && w.endsWith(suffix)) w = w.slice(0, w.length - suffix.length);
  }
  return w;
}

const HAS_DIGIT = /\d/;

/** Porter-stem a lower-case English token, leaving numbers, codes and very short tokens alone. */
export function stemEnglish(lowerToken: string): string {
  if (lowerToken.length <= 2 || HAS_DIGIT.test(lowerToken)) return lowerToken;
  return stemmer(lowerToken);
}

function isArabicCode(c: number): boolean {
  return (
    (c >= 0x0600 && c <= 0x06ff) ||
    (c >= 0x0750 && c <= 0x077f) ||
    (c >= 0x08a0 && c <= 0x08ff) ||
    (c >= 0xfb50 && c <= 0xfdff) ||
    (c >= 0xfe70 && c <= 0xfefe)
  );
}

function isLatinCode(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7);
}

// Vocabulary is bounded, so memoising stems makes indexing 100k articles cost mostly hash lookups.
const STEM_CACHE = new Map<string, string>();
const STEM_CACHE_LIMIT = 200_000;

/** Stem one folded token with the stemmer for its script; tokens in other scripts pass through. */
export function stemToken(folded: string): string {
  const cached = STEM_CACHE.get(folded);
  if (cached !== undefined) return cached;
  const c = folded.charCodeAt(0);
  const stem = isArabicCode(c) ? stemArabic(folded) : isLatinCode(c) ? stemEnglish(folded) : folded;
  if (STEM_CACHE.size >= STEM_CACHE_LIMIT) STEM_CACHE.clear();
  STEM_CACHE.set(folded, stem);
  return stem;
}
