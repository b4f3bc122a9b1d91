/**
 * The sample articles shipped in examples/articles, for tests.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The text of examples/articles/<name>. */
export function sampleArticle(
  name: 'ar-solar-plant.txt' | 'ar-book-fair.txt' | 'ar-water-desalination.txt' | 'en-flood-barrier.txt' | 'en-harbour-bridge.txt' | 'en-rail-strike.txt',
): string {
  return readFileSync(fileURLToPath(new URL(`../../examples/articles/${name}`, import.meta.url)), 'utf8');
}
