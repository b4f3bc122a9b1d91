/**
 * An in-memory BM25 inverted index over articles. Terms are interned to numbers once; each term's
 * postings are one growable Int32Array of (document number, term frequency) pairs, so 100k articles
 * cost a few hundred bytes each and adding an article allocates almost nothing.
 */
import { isCrossTerm } from './crosslang/index.js';

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
  /** Articles in the index. */
  readonly size: number;
  has(key: string): boolean;
  /**
   * Adds an article's terms (title terms may be repeated by the caller to weigh them more).
   * Cross-language terms do not lengthen it: BM25's length norm stays that of its own words.
   */
  add(key: string, terms: readonly string[]): void;
  /**
   * Takes an article out; `terms` are the ones it was added with. Without them (the article is
   * already gone from the store, so its text is too) every posting list is searched, which costs a
   * binary search per indexed term. False when it was not in.
   */
  remove(key: string, terms?: readonly string[]): boolean;
  /**
   * The whole index as bytes, to be stored and restored with `restoreTermIndex` instead of
   * re-reading every article at start-up (the term pipeline is most of a rebuild's time).
   */
  snapshot(): Uint8Array;
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
  /**
   * The best `limit` articles for up to 31 distinct query terms; `weights[i]` (1 when absent)
   * scales what term i earns, so a term guessed from another language counts for less than one
   * the question wrote.
   */
  search(queryTerms: readonly string[], limit: number, weights?: readonly number[]): IndexHit[];
}
const MAX_QUERY_TERMS = 31;
const MIN_FUZZY_LENGTH = 5;
const MIN_COLLECTION_FOR_WEIGHTS = 10;

/** What a snapshot holds, as `restoreTermIndex` reads it back. */
interface IndexState {
  readonly options: Bm25Options;
  readonly keys: string[];
  readonly lengths: number[];
  readonly terms: string[];
  readonly postings: Int32Array[];
}

const SNAPSHOT_MAGIC = 0x494b4141; // "AAKI" little-endian
const SNAPSHOT_VERSION = 1;

/** Creates an empty BM25 index. */
export function createTermIndex(options: Bm25Options = { k1: 1.2, b: 0.75 }): TermIndex {
  return buildIndex({ options, keys: [], lengths: [], terms: [], postings: [] });
}

/** Reads an index back from `TermIndex.snapshot()`; throws on bytes that are not a snapshot of this version. */
export function restoreTermIndex(bytes: Uint8Array): TermIndex {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 16 || view.getUint32(0, true) !== SNAPSHOT_MAGIC || view.getUint32(4, true) !== SNAPSHOT_VERSION) {
    throw new Error('not a term index snapshot of this version');
  }
  const headerBytes = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerBytes))) as {
    options: Bm25Options;
    keys: string[];
    terms: string[];
  };
  // The header is padded to four bytes, so the numbers can be read in place when the bytes are aligned.
  const start = bytes.byteOffset + 16 + align4(headerBytes);
  const count = (bytes.byteLength - 16 - align4(headerBytes)) / 4;
  const numbers = start % 4 === 0 ? new Int32Array(bytes.buffer, start, count) : new Int32Array(bytes.slice(16 + align4(headerBytes)).buffer);
  const docs = header.keys.length;
  const lengths = Array.from(numbers.subarray(0, docs));
  const offsets = numbers.subarray(docs, docs + header.terms.length + 1);
  const data = numbers.subarray(docs + header.terms.length + 1);
  const postings = header.terms.map((_, id) => data.subarray(offsets[id], offsets[id + 1]));
  return buildIndex({ options: header.options, keys: header.keys, lengths, terms: header.terms, postings });
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function buildIndex(state: IndexState): TermIndex {
  const { k1, b } = state.options;
  // A removed article leaves its slot ('' in keys) until the next snapshot compacts the numbering.
  const keys: string[] = state.keys;
  const numberOf = new Map<string, number>();
  keys.forEach((key, doc) => numberOf.set(key, doc));
  let live = keys.length;
  const lengths: number[] = state.lengths;
  const termIds = new Map<string, number>();
  const postings: Int32Array[] = state.postings;
  const postingLengths: number[] = postings.map((list) => list.length);
  const termsById: string[] = state.terms;
  // Terms by length, so a fuzzy look-up scans three buckets of the vocabulary, not all of it.
  const byLength = new Map<number, number[]>();
  termsById.forEach((term, id) => {
    termIds.set(term, id);
    indexLength(term, id);
  });
  let totalLength = lengths.reduce((sum, length) => sum + length, 0);
  // Reused between calls so neither adding nor searching allocates per article.
  let counts = new Int32Array(Math.max(1024, termsById.length * 2));
  const seen: number[] = [];
  let scores = new Float64Array(0);
  let masks = new Int32Array(0);

  const idf = (df: number): number => Math.log(1 + (live - df + 0.5) / (df + 0.5));

  function indexLength(term: string, id: number): void {
    if (term.length < MIN_FUZZY_LENGTH - 1) return;
    const bucket = byLength.get(term.length);
    if (bucket === undefined) byLength.set(term.length, [id]);
    else bucket.push(id);
  }
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
      indexLength(term, id);
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
      return live;
    },
    has: (key) => numberOf.has(key),
    add(key, terms) {
      if (numberOf.has(key) || key === '') return;
      const doc = keys.length;
      keys.push(key);
      numberOf.set(key, doc);
      live++;
      let length = 0;
      for (const term of terms) if (!isCrossTerm(term)) length++;
      lengths.push(length);
      totalLength += length;
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
    remove(key, terms) {
      const doc = numberOf.get(key);
      if (doc === undefined) return false;
      const ids = terms === undefined ? termsById.keys() : [...new Set(terms)].map((term) => termIds.get(term));
      for (const id of ids) {
        if (id === undefined) continue;
        const list = postings[id]!;
        const used = postingLengths[id]!;
        // Postings are in document order (removal closes gaps, adding appends higher numbers).
        let low = 0;
        let high = used / 2 - 1;
        while (low <= high) {
          const mid = (low + high) >> 1;
          const at = list[mid * 2]!;
          if (at < doc) low = mid + 1;
          else if (at > doc) high = mid - 1;
          else {
            list.copyWithin(mid * 2, mid * 2 + 2, used);
            postingLengths[id] = used - 2;
            break;
          }
        }
      }
      numberOf.delete(key);
      keys[doc] = '';
      totalLength -= lengths[doc]!;
      lengths[doc] = 0;
      live--;
      return true;
    },
    snapshot() {
      // Live articles renumbered 0..n-1 in their order, so a restored index has no holes.
      const renumber = new Int32Array(keys.length).fill(-1);
      const liveKeys: string[] = [];
      const liveLengths: number[] = [];
      keys.forEach((key, doc) => {
        if (key === '') return;
        renumber[doc] = liveKeys.length;
        liveKeys.push(key);
        liveLengths.push(lengths[doc]!);
      });
      const header = new TextEncoder().encode(JSON.stringify({ options: state.options, keys: liveKeys, terms: termsById }));
      const total = postingLengths.reduce((sum, used) => sum + used, 0);
      const numbers = new Int32Array(liveKeys.length + termsById.length + 1 + total);
      numbers.set(liveLengths, 0);
      let offset = 0;
      let at = liveKeys.length + termsById.length + 1;
      termsById.forEach((_, id) => {
        numbers[liveKeys.length + id] = offset;
        const list = postings[id]!;
        const used = postingLengths[id]!;
        for (let i = 0; i < used; i += 2) {
          numbers[at++] = renumber[list[i]!]!;
          numbers[at++] = list[i + 1]!;
        }
        offset += used;
      });
      numbers[liveKeys.length + termsById.length] = offset;
      const bytes = new Uint8Array(16 + align4(header.byteLength) + numbers.byteLength);
      const view = new DataView(bytes.buffer);
      view.setUint32(0, SNAPSHOT_MAGIC, true);
      view.setUint32(4, SNAPSHOT_VERSION, true);
      view.setUint32(8, header.byteLength, true);
      bytes.set(header, 16);
      bytes.set(new Uint8Array(numbers.buffer), 16 + align4(header.byteLength));
      return bytes;
    },
    documentFrequency,
    weight(term) {
      const df = documentFrequency(term);
      // In a store of one or two articles every present term has an idf near zero, and one absent
      // word would outweigh all the matched ones; a floor on the collection size keeps weights sane.
      const n = Math.max(live, MIN_COLLECTION_FOR_WEIGHTS);
      return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    },
    similarTerms(term, limit) {
      if (term.length < MIN_FUZZY_LENGTH || documentFrequency(term) > 0) return [];
      const found: { term: string; df: number }[] = [];
      for (let length = term.length - 1; length <= term.length + 1; length++) {
        for (const id of byLength.get(length) ?? []) {
          const candidate = termsById[id]!;
          const df = postingLengths[id]! / 2;
          if (df > 0 && withinOneEdit(term, candidate)) found.push({ term: candidate, df });
        }
      }
      // The commonest spelling first: it is the one the articles agree on.
      return found.sort((x, y) => y.df - x.df).slice(0, limit).map((f) => f.term);
    },
    search(queryTerms, limit, weights) {
      if (live === 0 || limit <= 0) return [];
      if (scores.length < keys.length) {
        scores = new Float64Array(Math.max(keys.length, scores.length * 2));
        masks = new Int32Array(scores.length);
      }
      const touched: number[] = [];
      const averageLength = totalLength / live || 1;
      const distinct = [...new Set(queryTerms)].slice(0, MAX_QUERY_TERMS);
      distinct.forEach((term, bit) => {
        const id = termIds.get(term);
        if (id === undefined) return;
        const list = postings[id]!;
        const used = postingLengths[id]!;
        const termIdf = idf(used / 2) * (weights?.[queryTerms.indexOf(term)] ?? 1);
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
