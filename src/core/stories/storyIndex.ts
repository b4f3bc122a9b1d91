/**
 * Which stored story a new article tells, found without a scan: the articles of the last
 * STORY_WINDOW_HOURS are kept as MinHash signatures in a locality-sensitive hash index (the sketch
 * cut into bands; two articles whose band agrees are candidates), and only candidates are compared.
 */
import { estimatedContainment, estimatedJaccard, MINHASH_SIZE, mix32, type StorySignature } from './signature.js';

/**
 * The decision on one pair. An article joins a story when its shingles are mostly shared with a
 * story's article (a reflowed or reworded copy) or mostly held by it (a truncated copy, or the
 * original of a stored truncated one). Chosen on the dev half of the saudinewsnet pairs (`npm run
 * bench -- stories`, its dev sweep): of the settings keeping dev recall ≥ 0.99, the most precise.
 */
export const STORY_MATCH = {
  /** Estimated Jaccard similarity of the shingle sets at or above which two articles are one story. */
  minJaccard: 0.3,
  /** Or: the share of the smaller article's shingles the other holds… */
  minContainment: 0.9,
  /** …when the smaller has at least this many shingles (a two-line brief is contained in many articles). */
  minContainedShingles: 20,
} as const;

/**
 * Bands × rows of the LSH index (BANDS × ROWS = MINHASH_SIZE). With 2 rows a pair at Jaccard 0.3
 * becomes a candidate in 99.8 % of cases (1 − (1 − 0.3²)⁶⁴), one at 0.15 (where a truncated copy
 * of a quarter of a long article lies) in 76 %; unrelated articles (Jaccard near 0) almost never.
 */
const ROWS = 2;
const BANDS = MINHASH_SIZE / ROWS;

/** A stored article as the story index knows it. */
export interface StoryEntry {
  readonly articleId: string;
  /** The id of the story's first article (its own id when it started the story). */
  readonly storyId: string;
  /** Epoch ms the article was stored. */
  readonly at: number;
  readonly signature: StorySignature;
}

/** The story a new article joins, and how alike it is to the story's closest article. */
export interface StoryMatch {
  readonly storyId: string;
  readonly articleId: string;
  readonly jaccard: number;
  readonly containment: number;
}

/** The index of recent articles' signatures. */
export interface StoryIndex {
  readonly size: number;
  /** Adds an article (again: replaces it); entries older than the window before the newest go. */
  add(entry: StoryEntry): void;
  remove(articleId: string): boolean;
  has(articleId: string): boolean;
  /** The story of the most alike stored article within the window of `at`, when it passes STORY_MATCH. */
  match(signature: StorySignature, at: number): StoryMatch | undefined;
  /** How many stored articles the last `match` compared (for the benchmark). */
  readonly lastCandidates: number;
}

/** Whether two signatures are of one story, by STORY_MATCH. */
export function sameStory(a: StorySignature, b: StorySignature): { same: boolean; jaccard: number; containment: number } {
  const jaccard = estimatedJaccard(a, b);
  const containment = estimatedContainment(a, b, jaccard);
  const contained = containment >= STORY_MATCH.minContainment && Math.min(a.shingles, b.shingles) >= STORY_MATCH.minContainedShingles;
  return { same: jaccard >= STORY_MATCH.minJaccard || contained, jaccard, containment };
}

function bandKeys(signature: StorySignature): number[] {
  const keys: number[] = [];
  const { minhash } = signature;
  for (let band = 0; band < BANDS; band++) {
    let h = mix32(band + 0x51ed27);
    for (let row = 0; row < ROWS; row++) h = mix32(h ^ minhash[band * ROWS + row]!);
    keys.push(h);
  }
  return keys;
}

/** An empty story index keeping `windowMs` of articles. */
export function createStoryIndex(windowMs: number): StoryIndex {
  const entries = new Map<string, { entry: StoryEntry; keys: number[] }>();
  const buckets = new Map<number, string[]>();
  // Insertion order, for dropping what fell out of the window; an id re-added later appears twice and is checked on the way out.
  const order: string[] = [];
  let head = 0;
  let newest = -Infinity;
  let lastCandidates = 0;

  function remove(articleId: string): boolean {
    const held = entries.get(articleId);
    if (!held) return false;
    entries.delete(articleId);
    for (const key of held.keys) {
      const bucket = buckets.get(key);
      if (!bucket) continue;
      const at = bucket.indexOf(articleId);
      if (at >= 0) bucket.splice(at, 1);
      if (bucket.length === 0) buckets.delete(key);
    }
    return true;
  }

  function evict(): void {
    while (head < order.length) {
      const id = order[head]!;
      const held = entries.get(id);
      if (held && held.entry.at >= newest - windowMs) break;
      if (held) remove(id);
      head++;
    }
    // Compact the queue once most of it is spent.
    if (head > 1024 && head * 2 > order.length) {
      order.splice(0, head);
      head = 0;
    }
  }

  return {
    get size() {
      return entries.size;
    },
    get lastCandidates() {
      return lastCandidates;
    },
    add(entry) {
      remove(entry.articleId);
      const keys = bandKeys(entry.signature);
      entries.set(entry.articleId, { entry, keys });
      for (const key of keys) {
        const bucket = buckets.get(key);
        if (bucket) bucket.push(entry.articleId);
        else buckets.set(key, [entry.articleId]);
      }
      order.push(entry.articleId);
      newest = Math.max(newest, entry.at);
      evict();
    },
    remove,
    has: (articleId) => entries.has(articleId),
    match(signature, at) {
      const seen = new Set<string>();
      let best: StoryMatch | undefined;
      let bestScore = -1;
      for (const key of bandKeys(signature)) {
        const bucket = buckets.get(key);
        if (!bucket) continue;
        for (const id of bucket) {
          if (seen.has(id)) continue;
          seen.add(id);
          const { entry } = entries.get(id)!;
          if (Math.abs(entry.at - at) > windowMs) continue;
          const verdict = sameStory(signature, entry.signature);
          const score = Math.max(verdict.jaccard, verdict.containment);
          if (verdict.same && score > bestScore) {
            bestScore = score;
            best = { storyId: entry.storyId, articleId: entry.articleId, jaccard: verdict.jaccard, containment: verdict.containment };
          }
        }
      }
      lastCandidates = seen.size;
      return best;
    },
  };
}
