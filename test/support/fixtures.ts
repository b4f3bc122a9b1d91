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

const WORDS = (
  'harbour council budget river bridge school teacher nurse clinic tram railway station market farmer harvest wheat ' +
  'drought rainfall storm coast island museum library festival theatre orchestra stadium league coach striker keeper ' +
  'factory worker union wage contract tender minister parliament senator mayor court judge verdict appeal prison ' +
  'police officer patrol border customs airport runway airline pilot cargo shipping tanker pipeline refinery oil gas ' +
  'solar wind turbine grid battery vehicle charger motorway tunnel traffic accident hospital vaccine outbreak patient ' +
  'doctor research university student exam scholarship startup investor bank loan interest inflation currency export'
).split(' ');

/**
 * The n-th of as many different English articles as a test needs: its own headline and its own
 * sentences of words drawn for n, so no two tell one story (posting one text with a number
 * changed would make them one story, listed and delivered once).
 */
export function distinctArticle(n: number): string {
  let state = (n + 1) * 0x9e3779b1;
  const word = () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return WORDS[state % WORDS.length]!;
  };
  const sentence = () => {
    const words = Array.from({ length: 12 }, word);
    return `${words[0]![0]!.toUpperCase()}${words.join(' ').slice(1)}.`;
  };
  return `Report ${n}: ${word()} and ${word()}\n\n${Array.from({ length: 6 }, sentence).join(' ')}`;
}
