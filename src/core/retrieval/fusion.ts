/**
 * Reciprocal rank fusion: rankings of different kinds (BM25 scores, cosine similarities) cannot be
 * added, but their ranks can. An item's fused score is the sum over rankings of 1 / (k + rank).
 */

/**
 * k = 60 is the constant of Cormack, Clarke and Büttcher (SIGIR 2009), who found it works across
 * collections; it was not tuned here. A large k keeps one ranking's first place from outvoting
 * the other ranking's near-top places.
 */
export const RRF_K = 60;

/** Each id's fused score over `rankings` (each best first, ranks from 1); ids absent from a ranking get nothing from it. */
export function fuseRanks(rankings: readonly (readonly string[])[], k: number = RRF_K): Map<string, number> {
  const fused = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, i) => fused.set(id, (fused.get(id) ?? 0) + 1 / (k + i + 1)));
  }
  return fused;
}
