/**
 * Finding the evidence for a question across all stored articles: BM25 over articles, then the
 * best sentences inside the best articles, with a measure of how much of the question they cover.
 */
import type { Passage, PassageSentence } from './engine.js';
import type { TermIndex } from './termIndex.js';
import { splitSentences, terms } from './text/index.js';
import type { Article } from './types.js';

/** Tuning of the retrieval step. */
export interface RetrievalOptions {
  /** Articles searched sentence by sentence after the BM25 step. */
  readonly candidateArticles: number;
  /** Passages handed to the engine. */
  readonly passages: number;
  /** Sentences of context on each side of a passage's best sentence. */
  readonly contextSentences: number;
}

/** Evidence for one question, best first, and how strong the best of it is. */
export interface Evidence {
  readonly passages: Passage[];
  /** Share of the question's term weight found in the best article, 0..1. */
  readonly articleCoverage: number;
  /** Share of the question's term weight found in the best sentence, 0..1. */
  readonly sentenceCoverage: number;
  /** Distinct content terms of the question; zero means it had nothing to search for. */
  readonly questionTerms: number;
  /** How many of them the best-covered article contains. */
  readonly matchedTerms: number;
}

/** An article's sentences with their terms, cached because the same articles answer many questions. */
export interface SplitArticle {
  readonly article: Article;
  readonly sentences: readonly string[];
  readonly sentenceTerms: readonly (readonly string[])[];
}

/** Splits an article into sentences and their terms (the title is not a sentence of the body). */
export function splitArticle(article: Article): SplitArticle {
  const sentences = splitSentences(article.text);
  return { article, sentences, sentenceTerms: sentences.map((sentence) => terms(sentence)) };
}

/** The terms an article is indexed under: title terms count twice, since headlines name the story. */
export function articleTerms(article: Article): string[] {
  const titleTerms = terms(article.title);
  return [...titleTerms, ...titleTerms, ...terms(article.text)];
}

/** Gathers the passages that best answer `question`, loading candidate articles through `load`. */
export async function retrieveEvidence(
  question: string,
  index: TermIndex,
  load: (articleId: string) => Promise<SplitArticle | undefined>,
  options: RetrievalOptions,
): Promise<Evidence> {
  const queryTerms = [...new Set(terms(question))].slice(0, 31);
  const empty = { passages: [], articleCoverage: 0, sentenceCoverage: 0, questionTerms: queryTerms.length, matchedTerms: 0 };
  if (queryTerms.length === 0 || index.size === 0) return empty;

  const weights = queryTerms.map((term) => index.weight(term));
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const hits = index.search(queryTerms, options.candidateArticles);
  if (hits.length === 0) return empty;
  const topScore = hits[0]!.score;

  const scored: { passage: Omit<Passage, 'id'>; best: number }[] = [];
  let articleCoverage = 0;
  let matchedTerms = 0;
  for (const hit of hits) {
    const split = await load(hit.key);
    if (!split || split.sentences.length === 0) continue;
    const coverageOfArticle = maskWeight(hit.matchedMask, weights) / totalWeight;
    if (coverageOfArticle > articleCoverage) {
      articleCoverage = coverageOfArticle;
      matchedTerms = bitCount(hit.matchedMask);
    }
    const coverages = split.sentenceTerms.map((sentenceTerms) => sentenceCoverage(sentenceTerms, queryTerms, weights, totalWeight));
    let bestIndex = 0;
    for (let i = 1; i < coverages.length; i++) if (coverages[i]! > coverages[bestIndex]!) bestIndex = i;
    const best = coverages[bestIndex]!;
    // Rank by the best sentence, with the article's BM25 breaking ties between similar sentences.
    const score = 0.65 * best + 0.35 * (hit.score / topScore);
    const from = Math.max(0, bestIndex - options.contextSentences);
    const to = Math.min(split.sentences.length - 1, bestIndex + options.contextSentences);
    const sentences: PassageSentence[] = [];
    for (let i = from; i <= to; i++) sentences.push({ index: i, text: split.sentences[i]!, coverage: coverages[i]! });
    const { article } = split;
    scored.push({
      best,
      passage: {
        articleId: article.id,
        title: article.title,
        ...(article.url === undefined ? {} : { url: article.url }),
        language: article.language,
        sentences,
        score,
      },
    });
  }
  scored.sort((x, y) => y.passage.score - x.passage.score);
  const passages = scored.slice(0, options.passages).map(({ passage }, i) => ({ id: `P${i + 1}`, ...passage }));
  return {
    passages,
    articleCoverage,
    sentenceCoverage: scored[0]?.best ?? 0,
    questionTerms: queryTerms.length,
    matchedTerms,
  };
}

function bitCount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}

function maskWeight(mask: number, weights: readonly number[]): number {
  let sum = 0;
  for (let bit = 0; bit < weights.length; bit++) if (mask & (1 << bit)) sum += weights[bit]!;
  return sum;
}

function sentenceCoverage(
  sentenceTerms: readonly string[],
  queryTerms: readonly string[],
  weights: readonly number[],
  totalWeight: number,
): number {
  if (sentenceTerms.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < queryTerms.length; i++) if (sentenceTerms.includes(queryTerms[i]!)) sum += weights[i]!;
  return sum / totalWeight;
}
