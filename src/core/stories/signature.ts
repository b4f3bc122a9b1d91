/**
 * The signature of an article for telling whether two articles tell one story: the set of word
 * shingles of its folded, stemmed content terms (the search pipeline's terms, so spelling
 * variants, affixes and stop words do not matter), sketched as a MinHash. Line breaks and
 * spacing never reach the terms, so a reflowed copy has the same signature; a reworded copy keeps
 * most shingles, and a truncated one is contained in the original.
 */
import { terms } from '../text/index.js';

/** A MinHash sketch of an article's shingles, and how many distinct shingles it had. */
export interface StorySignature {
  /** `MINHASH_SIZE` values: the smallest hash of the shingles under each of the hash functions. */
  readonly minhash: Uint32Array;
  /** Distinct shingles; with the estimated Jaccard similarity it gives the containment of one article in another. */
  readonly shingles: number;
}

/**
 * Terms per shingle. Two consecutive content terms are specific enough to a text (single terms
 * are shared by every article on a subject) and survive rewording better than three: chosen on
 * the dev half of the saudinewsnet pairs (`npm run bench -- stories`), where 3 kept the same
 * precision but lost an eighth of the reworded copies.
 */
export const SHINGLE_TERMS = 2;
/** Hash functions in a sketch: 128 gives a Jaccard estimate within about ±0.04 at 0.4 (one standard deviation). */
export const MINHASH_SIZE = 128;

/** A 32-bit integer mixer (the finaliser of MurmurHash3): every input bit moves every output bit. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

function hashString(text: string, seed: number): number {
  // FNV-1a over UTF-16 code units, then mixed: cheap, and good enough for a set sketch.
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** The distinct shingle hashes of a sequence of terms (one shingle of all of them when there are fewer than `SHINGLE_TERMS`). */
export function shingleHashes(termList: readonly string[], width = SHINGLE_TERMS): Set<number> {
  const out = new Set<number>();
  if (termList.length === 0) return out;
  if (termList.length < width) {
    out.add(hashString(termList.join(' '), 0));
    return out;
  }
  for (let i = 0; i + width <= termList.length; i++) {
    let shingle = termList[i]!;
    for (let k = 1; k < width; k++) shingle += ` ${termList[k + i]!}`;
    out.add(hashString(shingle, 0));
  }
  return out;
}

/** The MinHash sketch of a set of shingle hashes. */
export function minhashOf(shingles: ReadonlySet<number>): StorySignature {
  const minhash = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  for (const shingle of shingles) {
    // The i-th hash function is h1 + i·h2 (double hashing): two mixes per shingle instead of one
    // per function, which keeps signing a 6,000-word article well under a millisecond.
    const h1 = mix32(shingle ^ 0x9e3779b9);
    const h2 = mix32(shingle ^ 0x7f4a7c15) | 1;
    for (let i = 0; i < MINHASH_SIZE; i++) {
      const h = (h1 + Math.imul(i, h2)) >>> 0;
      if (h < minhash[i]!) minhash[i] = h;
    }
  }
  return { minhash, shingles: shingles.size };
}

/** The signature of an article: its title and body, as the search pipeline reads them. */
export function storySignature(article: { readonly title: string; readonly text: string }): StorySignature {
  return minhashOf(shingleHashes(terms(`${article.title}\n${article.text}`)));
}

/** The share of hash functions on which two sketches agree: an unbiased estimate of the Jaccard similarity of their shingle sets. */
export function estimatedJaccard(a: StorySignature, b: StorySignature): number {
  let same = 0;
  for (let i = 0; i < MINHASH_SIZE; i++) if (a.minhash[i] === b.minhash[i]) same++;
  return same / MINHASH_SIZE;
}

/**
 * How much of the smaller article's shingles the other holds, from the Jaccard estimate and the
 * two set sizes (|A∩B| = J(|A|+|B|)/(1+J)): near 1 for a truncated copy, whose Jaccard is only
 * its share of the original.
 */
export function estimatedContainment(a: StorySignature, b: StorySignature, jaccard = estimatedJaccard(a, b)): number {
  const smaller = Math.min(a.shingles, b.shingles);
  if (smaller === 0) return 0;
  return Math.min(1, (jaccard * (a.shingles + b.shingles)) / ((1 + jaccard) * smaller));
}
