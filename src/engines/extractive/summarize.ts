/**
 * Extractive summaries: pick the sentences that are most central to the article, favour the lead
 * (news puts the point first), drop near-repeats, and give them back in article order.
 */
import type { EngineSummary, SummaryRequest } from '../../core/engine.js';
import { splitSentences, terms } from '../../core/text/index.js';

type Vector = Map<string, number>;

// Below this many content terms a "sentence" is a dateline, a caption or a fragment.
const MIN_SENTENCE_TERMS = 4;
// How much a candidate may resemble an already chosen sentence before it counts as a repeat.
const REDUNDANCY_LIMIT = 0.5;
const MMR_LAMBDA = 0.75;

// From about this length a news article carries several distinct stories-within-the-story (what
// happened, who said what, what comes next), and a summary of three sentences drops the second half.
const LONG_ARTICLE_WORDS = 500;

/** How many sentences a summary of an article with `available` sentences (and `words` words) should have. */
export function summaryLength(available: number, min: number, max: number, words = 0): number {
  if (words >= LONG_ARTICLE_WORDS) return Math.min(available, max);
  return Math.min(available, Math.max(min, Math.min(max, Math.round(available / 5))));
}

/** Summarises one article by extraction, in the article's own language. */
export function summarizeArticle(request: SummaryRequest): EngineSummary {
  const { article } = request;
  const sentences = splitSentences(article.text);
  const words = article.text.split(/\s+/u).length;
  const target = summaryLength(sentences.length, request.minSentences, request.maxSentences, words);
  if (sentences.length <= target) return { sentences, language: article.language };

  const sentenceTerms = sentences.map((sentence) => terms(sentence));
  const vectors = tfidfVectors(sentenceTerms);
  const titleVector = tfidfVectors([terms(article.title), ...sentenceTerms])[0]!;
  const n = sentences.length;

  const scores = vectors.map((vector, i) => {
    if (sentenceTerms[i]!.length < MIN_SENTENCE_TERMS) return 0;
    let centrality = 0;
    for (let j = 0; j < n; j++) if (j !== i) centrality += cosine(vector, vectors[j]!);
    centrality /= n - 1;
    const lead = 1 / Math.sqrt(1 + i);
    return centrality + 0.35 * lead + 0.25 * cosine(vector, titleVector);
  });

  const chosen: number[] = [];
  const candidates = new Set(scores.map((_, i) => i).filter((i) => scores[i]! > 0));
  const maxScore = Math.max(...scores) || 1;
  while (chosen.length < target && candidates.size > 0) {
    let bestIndex = -1;
    let bestValue = -Infinity;
    for (const i of candidates) {
      const similarity = chosen.reduce((max, j) => Math.max(max, cosine(vectors[i]!, vectors[j]!)), 0);
      if (similarity > REDUNDANCY_LIMIT) continue;
      const value = MMR_LAMBDA * (scores[i]! / maxScore) - (1 - MMR_LAMBDA) * similarity;
      if (value > bestValue) {
        bestValue = value;
        bestIndex = i;
      }
    }
    if (bestIndex < 0) break;
    chosen.push(bestIndex);
    candidates.delete(bestIndex);
  }
  // Very repetitive or fragmentary articles can leave too few; fill from the lead.
  for (let i = 0; chosen.length < target && i < n; i++) if (!chosen.includes(i)) chosen.push(i);
  return { sentences: chosen.sort((x, y) => x - y).map((i) => sentences[i]!), language: article.language };
}

function tfidfVectors(documents: readonly (readonly string[])[]): Vector[] {
  const df = new Map<string, number>();
  for (const doc of documents) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
  const n = documents.length;
  return documents.map((doc) => {
    const vector: Vector = new Map();
    for (const term of doc) vector.set(term, (vector.get(term) ?? 0) + 1);
    let norm = 0;
    for (const [term, tf] of vector) {
      const weight = (1 + Math.log(tf)) * Math.log(1 + n / df.get(term)!);
      vector.set(term, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [term, weight] of vector) vector.set(term, weight / norm);
    return vector;
  });
}

function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) {
    const other = large.get(term);
    if (other !== undefined) dot += weight * other;
  }
  return dot;
}
