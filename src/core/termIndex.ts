/**
 * An in-memory BM25 inverted index over articles. Terms are interned to numbers once; each term's
 * postings are one growable Int32Array of (document number, term frequency) pairs, so 100k articles
 * cost a few hundred bytes each and adding an article allocates almost nothing.
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
  /**
   * Indexed terms one edit away (insertion, deletion, substitution or swap of neighbours) from a
   * term no article contains: the same foreign name written two ways (الايكواس / الايكوس,
   * امريك / اميرك). Terms shorter than five letters have too many neighbours to guess from.
   */
  similarTerms(term: string, limit: number): string[];
  /** The best `limit` articles for up to 31 distinct query terms. */
  search(queryTerms: readonly string[], limit: number): IndexHit[];
}

const MAX_QUERY_TERMS = 31;
const MIN_FUZZY_LENGTH = 5;
const MIN_COLLECTION_FOR_WEIGHTS = 10;

/** Creates an empty BM25 index. */
export function createTermIndex(options: Bm25Options = { k1: 1.2, b: 0.75 }): TermIndex {
  const { k1, b } = options;
  const keys: string[] = [];
  const numberOf = new Map<string, number>();
  const lengths: number[] = [];
  const termIds = new Map<string, number>();
  const postings: Int32Array[] = [];
  const postingLengths: number[] = [];
  const termsById: string[] = [];
  // Terms by length, so a fuzzy look-up scans three buckets of the vocabulary, not all of it.
  const byLength = new Map<number, number[]>();
  let totalLength = 0;
  // Reused between calls so neither adding nor searching allocates per article.
  let counts = new Int32Array(1024);
  const seen: number[] = [];
  let scores = new Float64Array(0);
  let masks = new Int32Array(0);

  const idf = (df: number): number => Math.log(1 + (keys.length - df + 0.5) / (df + 0.5));
  const documentFrequency = (term: string): number => {
    const id = termIds.get(term);
    return id === undefined ? 0 : postingLengths[id]! / 2;
  };

  function termId(term: string): number {
    let id = termIds.get(term);
    if (id === undefined) {
      id = postings.length;
      termIds.set(term, id);
      termsById.push(term);
      if (term.length >= MIN_FUZZY_LENGTH - 1) {
        const bucket = byLength.get(term.length);
        if (bucket === undefined) byLength.set(term.length, [id]);
        else bucket.push(id);
      }
      postings.push(new Int32Array(2));
      postingLengths.push(0);
      if (id >= counts.length) {
        const grown = new Int32Array(counts.length * 2);
        grown.set(counts);
        counts = grown;
      }
    }
    return id;
  }

  function append(id: number, doc: number, tf: number): void {
    let list = postings[id]!;
    const used = postingLengths[id]!;
    if (used + 2 > list.length) {
      // Doubling keeps appends amortised O(1); most terms stay at a handful of entries.
      const grown = new Int32Array(list.length * 2);
      grown.set(list);
      postings[id] = list = grown;
    }
    list[used] = doc;
    list[used + 1] = tf;
    postingLengths[id] = used + 2;
  }

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
      for (const term of terms) {
        const id = termId(term);
        if (counts[id] === 0) seen.push(id);
        counts[id]! += 1;
      }
      for (const id of seen) {
        append(id, doc, counts[id]!);
        counts[id] = 0;
      }
      seen.length = 0;
    },
    documentFrequency,
    weight(term) {
      const df = documentFrequency(term);
      // In a store of one or two articles every present term has an idf near zero, and one absent
      // word would outweigh all the matched ones; a floor on the collection size keeps weights sane.
      const n = Math.max(keys.length, MIN_COLLECTION_FOR_WEIGHTS);
      return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    },
    similarTerms(term, limit) {
      if (term.length < MIN_FUZZY_LENGTH || termIds.has(term)) return [];
      const found: { term: string; df: number }[] = [];
      for (let length = term.length - 1; length <= term.length + 1; length++) {
        for (const id of byLength.get(length) ?? []) {
          const candidate = termsById[id]!;
          if (withinOneEdit(term, candidate)) found.push({ term: candidate, df: postingLengths[id]! / 2 });
        }
      }
      // The commonest spelling first: it is the one the articles agree on.
      return found.sort((x, y) => y.df - x.df).slice(0, limit).map((f) => f.term);
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
        const id = termIds.get(term);
        if (id === undefined) return;
        const list = postings[id]!;
        const used = postingLengths[id]!;
        const termIdf = idf(used / 2);
        for (let i = 0; i < used; i += 2) {
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

/** Optimal-string-alignment distance ≤ 1, without building the matrix. */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // The first letter of a name is the one writers agree on; a variant that differs there is another word.
  if (i === 0) return false;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
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
