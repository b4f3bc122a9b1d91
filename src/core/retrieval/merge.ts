/**
 * One body of evidence from the searches for one question: the question as asked, and the same
 * question rewritten into the languages of the stored articles.
 */
import type { Evidence } from './evidence.js';

/**
 * The first relevant evidence leads (the question as asked comes first, so a same-language answer
 * is not displaced by a translation's); the others add passages from articles it lacks, up to
 * `passages`. Passage ids are numbered again, so they stay unique within the request.
 */
export function mergeEvidence(found: readonly Evidence[], relevant: (evidence: Evidence) => boolean, passages: number): Evidence {
  const lead = found.find(relevant) ?? found[0];
  if (!lead) throw new RangeError('mergeEvidence needs at least one evidence');
  const merged = [...lead.passages];
  const seen = new Set(merged.map((passage) => passage.articleId));
  for (const evidence of found) {
    if (evidence === lead || !relevant(evidence)) continue;
    for (const passage of evidence.passages) {
      if (merged.length >= passages || seen.has(passage.articleId)) continue;
      seen.add(passage.articleId);
      merged.push(passage);
    }
  }
  return { ...lead, passages: merged.map((passage, i) => ({ ...passage, id: `P${i + 1}` })) };
}
