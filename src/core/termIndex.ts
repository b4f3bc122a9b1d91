/**
 * An in-memory BM25 inverted index over articles. Postings are flat number arrays (document
 * number, term frequency, …) so 100k articles cost a few hundred bytes each, not a Map per article.
 */

/** One article found by a search, with which query terms it contains. */
export interface IndexHit {
  readonly key: string;
  readonly score: number;
  /** Bit i is set when query term i occurs in the article. */
  readonly matchedMask: number;
}

/** BM25 parameters; the defaults are the textbook ones. */
export interface Bm25Options {
  readonly k1: number;
  readonly b: number;
}

/** The index the retrieval step searches. */
export interface TermIndex {
  readonly size: number;
  has(key: string): boolean;
  /** Adds an article's terms (title terms may be repeated by the caller to weigh them more). */
  add(key: string, terms: readonly string[]): void;
  /** How many articles contain `term`. */
  documentFrequency(term: string): number;
  /** Inverse document frequency; a term no article contains weighs more than any that one does. */
  weight(term: string): number;
  /** The best `limit` articles for up to 31 distinct query terms. */
  search(queryTerms: readonly string[], limit: number): IndexHit[];
}

const MAX_QUERY_TERMS = 31;
const MIN_COLLECTION_FOR_WEIGHTS = 10;

/** Creates an empty BM25 index. */
export function createTermIndex(options: Bm25Options = { k1: 1.2, b: 0.75 }): TermIndex {
  const { k1, b } = options;
  const keys: string[] = [];
  const numberOf = new Map<string, number>();
  const lengths: number[] = [];
  const postings = new Map<string, number[]>();
  let totalLength = 0;
  // Reused between searches so a query over 100k articles allocates nothing per article.
  let scores = new Float64Array(0);
  let masks = new Int32Array(0);

  const idf = (df: number): number => Math.log(1 + (keys.length - df + 0.5) / (df + 0.5));

  return {
    get size() {
      return keys.length;
    },
    has: (key) => numberOf.has(key),
    add(key, terms) {
      if (numberOf.has(key)) return;
      const doc = keys.length;
      keys.push(key);
      numberOf.set(key, doc);
      lengths.push(terms.length);
      totalLength += terms.length;
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        const list = postings.get(term);
        if (list) list.push(doc, tf);
        else postings.set(term, [doc, tf]);
      }
    },
    documentFrequency: (term) => (postings.get(term)?.length ?? 0) / 2,
    weight(term) {
      const df = (postings.get(term)?.length ?? 0) / 2;
      // In a store of one or two articles every present term has an idf near zero, and one absent
      // word would outweigh all the matched ones; a floor on the collection size keeps weights sane.
      const n = Math.max(keys.length, MIN_COLLECTION_FOR_WEIGHTS);
      return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    },
    search(queryTerms, limit) {
      const n = keys.length;
      if (n === 0 || limit <= 0) return [];
      if (scores.length < n) {
        scores = new Float64Array(Math.max(n, scores.length * 2));
        masks = new Int32Array(scores.length);
      }
      const touched: number[] = [];
      const averageLength = totalLength / n || 1;
      const distinct = [...new Set(queryTerms)].slice(0, MAX_QUERY_TERMS);
      distinct.forEach((term, bit) => {
        const list = postings.get(term);
        if (!list) return;
        const termIdf = idf(list.length / 2);
        for (let i = 0; i < list.length; i += 2) {
          const doc = list[i]!;
          const tf = list[i + 1]!;
          const norm = tf + k1 * (1 - b + (b * lengths[doc]!) / averageLength);
          if (masks[doc] === 0) touched.push(doc);
          scores[doc]! += (termIdf * tf * (k1 + 1)) / norm;
          masks[doc]! |= 1 << bit;
        }
      });
      const hits = touched.map((doc) => ({ key: keys[doc]!, score: scores[doc]!, matchedMask: masks[doc]! }));
      for (const doc of touched) {
        scores[doc] = 0;
        masks[doc] = 0;
      }
      return topK(hits, limit);
    },
  };
}

function topK(hits: IndexHit[], limit: number): IndexHit[] {
  // Sorting everything is fine up to a few thousand hits; beyond that a partial selection pays.
  if (hits.length <= limit) return hits.sort((x, y) => y.score - x.score);
  const best: IndexHit[] = [];
  let floor = -Infinity;
  for (const hit of hits) {
    if (best.length < limit) {
      best.push(hit);
      if (best.length === limit) {
        best.sort((x, y) => y.score - x.score);
        floor = best[best.length - 1]!.score;
      }
    } else if (hit.score > floor) {
      let i = best.length - 1;
      while (i > 0 && best[i - 1]!.score < hit.score) i--;
      best.splice(i, 0, hit);
      best.pop();
      floor = best[best.length - 1]!.score;
    }
  }
  return best;
}
