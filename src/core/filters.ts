/**
 * What a subscription lets through: words it must mention (any of them), words it must not, the
 * feeds and languages it follows, and one regular expression. Words go through the same term
 * pipeline as search (folding, stop words, stems), so a filter written أميركي catches an article
 * that spells it أمريكي, and "sport" catches "sports". Patterns run on RE2, whose time is linear in
 * the text whatever the pattern, so no subscriber can stall fan-out with a pathological one.
 */
import { RE2 } from 're2-wasm';
import { AkhbarError } from './errors.js';
import { terms } from './text/index.js';
import type { Article, Language } from './types.js';

/** A subscription's filters as stored; an empty list means no rule of that kind. */
export interface SubscriptionFilters {
  /** The article passes only if it mentions one of these (as typed; matched by their terms). */
  readonly include: readonly string[];
  /** The article is blocked if it mentions any of these. */
  readonly exclude: readonly string[];
  /** Hosts (with a port, if the feed's URL has one) of the feeds whose items pass; articles posted by hand are from no feed. */
  readonly feeds: readonly string[];
  /** Article languages that pass. */
  readonly languages: readonly Language[];
  /** An RE2 pattern the title or text must match, case-insensitively. */
  readonly regex?: string;
}

/** No filters: everything passes. */
export const NO_FILTERS: SubscriptionFilters = { include: [], exclude: [], feeds: [], languages: [] };

/** One rule's finding about one article, for /filter test. */
export type FilterCheck =
  | { readonly rule: 'include'; readonly passed: boolean; readonly words: readonly string[]; readonly word?: string; readonly matched?: string }
  | { readonly rule: 'exclude'; readonly passed: boolean; readonly word?: string; readonly matched?: string }
  | { readonly rule: 'feed'; readonly passed: boolean; readonly feeds: readonly string[]; readonly source?: string }
  | { readonly rule: 'language'; readonly passed: boolean; readonly languages: readonly Language[]; readonly language: Language }
  | { readonly rule: 'regex'; readonly passed: boolean; readonly pattern: string; readonly matched?: string };

/** Whether an article passes a subscription's filters, and every rule's finding. */
export interface FilterVerdict {
  readonly passed: boolean;
  readonly checks: readonly FilterCheck[];
}

/** Filters made ready to judge many articles: words as terms, the pattern compiled once. */
export interface CompiledFilters {
  readonly filters: SubscriptionFilters;
  /** False when nothing is filtered, so fan-out skips the article's words altogether. */
  readonly active: boolean;
  judge(article: ArticleWords): FilterVerdict;
}

/** An article's words as filters read them; built once per article for every subscriber. */
export interface ArticleWords {
  readonly article: Article;
  /** The first word as written for each term and each spelling skeleton of the title and text. */
  readonly byTerm: ReadonlyMap<string, string>;
  readonly bySkeleton: ReadonlyMap<string, string>;
}

/**
 * Longest pattern accepted: the cap issue 16 asks for. RE2's time is linear in the text whatever
 * the pattern, but its memory and compile time grow with the pattern; 200 characters still hold a
 * list of a dozen alternatives, the usual shape of a keyword pattern.
 */
export const MAX_PATTERN_CHARS = 200;
/** Most words in one list, so a filter stays something a person reads in /filter. */
export const MAX_FILTER_WORDS = 50;

// Spelling skeletons: the long vowels ا و ي inside an Arabic word are where loanwords vary
// (أميركي/أمريكي, بريطانيا/بريطانية stems alike); a skeleton of four letters or more is specific
// enough to stand for the word. Three-letter skeletons are left out: سعيد and سعود would be one.
const ARABIC_TERM = /^[\u0621-\u064a]{3,}$/u;
const MIN_SKELETON = 4;
const WORD = /[\p{L}\p{M}\p{N}]+(?:[.'’][\p{L}\p{M}\p{N}]+)*/gu;

/** The consonant skeleton an Arabic term is matched by across spellings; '' when it has none. */
export function spellingSkeleton(term: string): string {
  if (!ARABIC_TERM.test(term)) return '';
  const skeleton = term[0]! + term.slice(1).replace(/[اوي]/gu, '');
  return skeleton.length >= MIN_SKELETON ? skeleton : '';
}

/** The words of an article as filters match them; build once per article. */
export function articleWords(article: Article): ArticleWords {
  const byTerm = new Map<string, string>();
  const bySkeleton = new Map<string, string>();
  for (const written of `${article.title}\n${article.text}`.match(WORD) ?? []) {
    for (const term of terms(written)) {
      if (!byTerm.has(term)) byTerm.set(term, written);
      const skeleton = spellingSkeleton(term);
      if (skeleton !== '' && !bySkeleton.has(skeleton)) bySkeleton.set(skeleton, written);
    }
  }
  return { article, byTerm, bySkeleton };
}

/** The feed host an article came from, or undefined for one posted by hand or by link. */
export function feedHostOf(article: Pick<Article, 'postedBy'>): string | undefined {
  return article.postedBy.startsWith('feed:') ? article.postedBy.slice('feed:'.length) : undefined;
}

/** The terms a filter word stands for; empty for a stop word or punctuation. */
export function filterTerms(word: string): string[] {
  return [...new Set(terms(word))];
}

/** Compiles a pattern as filters run it, or throws BAD_FILTER_PATTERN naming why. */
export function compilePattern(pattern: string): RE2 {
  if (pattern.length > MAX_PATTERN_CHARS) throw new AkhbarError({ code: 'BAD_FILTER_PATTERN', pattern, reason: 'too-long', maxChars: MAX_PATTERN_CHARS });
  try {
    return new RE2(pattern, 'iu');
  } catch (error) {
    // RE2 refuses what it cannot run in linear time (backreferences, lookaround) and bad syntax alike.
    const cause = error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/\w*: /su, '') : String(error);
    throw new AkhbarError({ code: 'BAD_FILTER_PATTERN', pattern, reason: 'unsupported', cause });
  }
}

/** True when no rule is set. */
export function isUnfiltered(filters: SubscriptionFilters): boolean {
  return filters.include.length === 0 && filters.exclude.length === 0 && filters.feeds.length === 0 && filters.languages.length === 0 && filters.regex === undefined;
}

function findWord(word: string, words: ArticleWords): string | undefined {
  const wanted = filterTerms(word);
  if (wanted.length === 0) return undefined;
  let first: string | undefined;
  // A word of several terms ("oil-price") matches only where all of them are found.
  for (const term of wanted) {
    const skeleton = spellingSkeleton(term);
    const found = words.byTerm.get(term) ?? (skeleton === '' ? undefined : words.bySkeleton.get(skeleton));
    if (found === undefined) return undefined;
    first ??= found;
  }
  return first;
}

/** Filters made ready for fan-out; compile once per subscription and reuse for every article. */
export function compileFilters(filters: SubscriptionFilters): CompiledFilters {
  const pattern = filters.regex === undefined ? undefined : compilePattern(filters.regex);
  return {
    filters,
    active: !isUnfiltered(filters),
    judge(words) {
      const { article } = words;
      const checks: FilterCheck[] = [];
      if (filters.languages.length > 0) {
        checks.push({ rule: 'language', passed: filters.languages.includes(article.language), languages: filters.languages, language: article.language });
      }
      if (filters.feeds.length > 0) {
        const source = feedHostOf(article);
        checks.push({ rule: 'feed', passed: source !== undefined && filters.feeds.includes(source), feeds: filters.feeds, ...(source ? { source } : {}) });
      }
      if (filters.include.length > 0) {
        const hit = filters.include.map((word) => ({ word, matched: findWord(word, words) })).find((h) => h.matched !== undefined);
        checks.push(hit ? { rule: 'include', passed: true, words: filters.include, word: hit.word, matched: hit.matched! } : { rule: 'include', passed: false, words: filters.include });
      }
      if (filters.exclude.length > 0) {
        const hit = filters.exclude.map((word) => ({ word, matched: findWord(word, words) })).find((h) => h.matched !== undefined);
        checks.push(hit ? { rule: 'exclude', passed: false, word: hit.word, matched: hit.matched! } : { rule: 'exclude', passed: true });
      }
      if (pattern) {
        const found = pattern.exec(article.title) ?? pattern.exec(article.text);
        checks.push({ rule: 'regex', passed: found !== null, pattern: filters.regex!, ...(found ? { matched: found[0] ?? '' } : {}) });
      }
      return { passed: checks.every((check) => check.passed), checks };
    },
  };
}
