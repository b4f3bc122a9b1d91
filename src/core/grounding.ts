/**
 * Whether a generated summary says only what its article says. A model can be talked into adding
 * a line the article's author planted ("URGENT: log in at … to keep your account"), or into
 * inventing one; either would go to every subscriber. Each bullet is checked lexically, through
 * the same folding, stop words and stemming as search (text/tokenize.ts), against the article's
 * sentences; a bullet that fails is reported with its reason, and the caller decides (the LLM
 * engine gives the whole summary up for the extractive one).
 */
import { arabicRoot, foldForMatching, splitSentences, terms } from './text/index.js';
import { normalizeUrl } from './urls.js';
import type { Language } from './types.js';

/**
 * Share of a bullet's distinct content terms that one or two article sentences must hold. Measured
 * on the sample articles (test/core/grounding.test.ts): honest paraphrases by a model, in English
 * and Arabic, covered 0.75–1.0 (a paraphrase swaps a word or two: "halved" for "cut by half");
 * invented bullets covered 0–0.5 (they bring their own nouns and verbs). 0.7 sits between the two,
 * nearer the honest side, since a false rejection only costs the extractive summary.
 */
export const MIN_BULLET_COVERAGE = 0.7;

// Two sentences, because a good bullet often joins the facts of neighbouring ones; pairs are tried
// only among the sentences that cover the most on their own, which keeps a long article cheap.
const PAIR_CANDIDATES = 8;

// Scheme or www links, and bare host names with a letter top-level domain ("evil.example/login").
const LINK = /(?:https?:\/\/|www\.)[^\s<>"'»”)\]]+|(?<![\p{L}\p{N}@.-])(?:[\p{L}\p{N}-]+\.)+[a-z]{2,}(?:\/[^\s<>"'»”)\]]*)?(?![\p{L}\p{N}])/giu;
const NUMBER = /\d+(?:[.,]\d+)*/gu;
const ARABIC_TERM = /^[\u0621-\u064a]{3,}$/u;

/** A summary with its unsupported bullets taken out, and why each was. */
export interface GroundedSummary {
  /** The supported bullets, in order, with links taken out. */
  readonly bullets: readonly string[];
  readonly rejected: readonly { readonly bullet: string; readonly reason: string }[];
}

/** What of an article the check needs: the text the model was given, and the article's own address. */
export interface GroundingSource {
  readonly title: string;
  readonly text: string;
  readonly url?: string;
  readonly language: Language;
}

interface Support {
  readonly terms: ReadonlySet<string>;
  readonly roots: ReadonlySet<string>;
}

function rootOf(term: string): string {
  if (!ARABIC_TERM.test(term)) return '';
  const root = arabicRoot(term);
  return root.length >= 3 ? root : '';
}

function linksIn(text: string): string[] {
  // A sentence's full stop or comma after a link is not part of it.
  return (text.match(LINK) ?? []).map((link) => link.replace(/[.,;:!?،؛؟]+$/u, ''));
}

/** A link as host and path, so "http://x.example/a/" and "x.example/a" compare equal. */
function comparable(link: string): string {
  return (normalizeUrl(/^https?:\/\//i.test(link) ? link : `https://${link}`) ?? link).replace(/^https?:\/\//i, '').replace(/\/$/, '');
}

function isOwnLink(link: string, own: string | undefined): boolean {
  return own !== undefined && comparable(link) === comparable(own);
}

function numbersIn(text: string): string[] {
  return foldForMatching(text).match(NUMBER) ?? [];
}

/** Whether `wanted` (as a bullet writes it) is one of the article's numbers, or the leading group of one ("40" of "40,000" as in "40 ألف"). */
function hasNumber(articleNumbers: ReadonlySet<string>, wanted: string): boolean {
  if (articleNumbers.has(wanted)) return true;
  for (const number of articleNumbers) if (number.startsWith(`${wanted},`)) return true;
  return false;
}

/** How much of `bulletTerms` the best one or two of `sentences` hold, from 0 to 1. */
function coverage(bulletTerms: readonly string[], sentences: readonly Support[]): number {
  const holds = (sentence: Support, term: string) => sentence.terms.has(term) || (rootOf(term) !== '' && sentence.roots.has(rootOf(term)));
  const masks = sentences.map((sentence) => bulletTerms.map((term) => holds(sentence, term)));
  const count = (mask: readonly boolean[]) => mask.filter(Boolean).length;
  const ranked = masks.map((mask, i) => ({ i, n: count(mask) })).sort((a, b) => b.n - a.n).slice(0, PAIR_CANDIDATES);
  let best = ranked[0]?.n ?? 0;
  for (let a = 0; a < ranked.length; a++) {
    for (let b = a + 1; b < ranked.length; b++) {
      const first = masks[ranked[a]!.i]!;
      const second = masks[ranked[b]!.i]!;
      best = Math.max(best, first.filter((held, k) => held || second[k]).length);
    }
  }
  return bulletTerms.length === 0 ? 0 : best / bulletTerms.length;
}

/**
 * Checks each bullet of a summary in `language` against `source`. Links are taken out of every
 * bullet: the message already carries the article's address, and a link to anywhere else is what
 * a planted call to action looks like, so a bullet with one is rejected outright, even when the
 * article holds that link (an article's own "log in at …" is the attack, not news). For the same
 * reason a sentence of the article that carries such a link is no support for a bullet. A summary
 * in another language than the article cannot be compared word for word: there only links and
 * numbers are checked.
 */
export function groundSummary(source: GroundingSource, bullets: readonly string[], language: Language): GroundedSummary {
  const sentences = [source.title, ...splitSentences(source.text)]
    .filter((sentence) => linksIn(sentence).every((link) => isOwnLink(link, source.url)))
    .map((sentence): Support => {
      const sentenceTerms = new Set(terms(sentence));
      return { terms: sentenceTerms, roots: new Set([...sentenceTerms].map(rootOf).filter((root) => root !== '')) };
    });
  const articleNumbers = new Set(numbersIn(`${source.title}\n${source.text}`));
  const sameLanguage = language === source.language;
  const kept: string[] = [];
  const rejected: { bullet: string; reason: string }[] = [];
  for (const bullet of bullets) {
    const links = linksIn(bullet);
    const elsewhere = links.filter((link) => !isOwnLink(link, source.url));
    if (elsewhere.length > 0) {
      rejected.push({ bullet, reason: `links outside the article's own address: ${elsewhere.join(' ')}` });
      continue;
    }
    const text = links.reduce((rest, link) => rest.replace(link, ''), bullet).replace(/\s+([.,;:!?،؛؟])/gu, '$1').replace(/\s{2,}/gu, ' ').trim();
    const invented = numbersIn(text).filter((number) => !hasNumber(articleNumbers, number));
    if (invented.length > 0) {
      rejected.push({ bullet, reason: `numbers not in the article: ${invented.join(', ')}` });
      continue;
    }
    if (sameLanguage) {
      const bulletTerms = [...new Set(terms(text))];
      const covered = coverage(bulletTerms, sentences);
      if (covered < MIN_BULLET_COVERAGE) {
        rejected.push({ bullet, reason: `the article's sentences hold ${Math.round(covered * 100)}% of its words (at least ${MIN_BULLET_COVERAGE * 100}% needed)` });
        continue;
      }
    } else if (text === '') {
      rejected.push({ bullet, reason: 'nothing left once its links were taken out' });
      continue;
    }
    kept.push(text);
  }
  return { bullets: kept, rejected };
}
