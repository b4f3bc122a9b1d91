import { describe, expect, it } from 'vitest';
import { createStoryIndex, storySignature } from '../../../src/core/stories/index.js';
import { sampleArticle } from '../../support/fixtures.js';

const HOUR = 3_600_000;
const solar = { title: '', text: sampleArticle('ar-solar-plant.txt') };
const bookFair = { title: '', text: sampleArticle('ar-book-fair.txt') };
const flood = { title: '', text: sampleArticle('en-flood-barrier.txt') };

function indexWith(doc: { title: string; text: string }, at = 0) {
  const index = createStoryIndex(72 * HOUR);
  index.add({ articleId: 'first', storyId: 'first', at, signature: storySignature(doc) });
  return index;
}

describe('the story index', () => {
  it('finds the story of the same Arabic text reflowed onto one line', () => {
    const match = indexWith(solar).match(storySignature({ title: '', text: solar.text.replace(/\s*\n\s*/gu, ' ') }), HOUR);
    expect(match).toMatchObject({ storyId: 'first', articleId: 'first' });
    expect(match!.jaccard).toBe(1);
  });

  it('finds the story of a copy cut to its first half, which the original contains', () => {
    const half = { title: '', text: flood.text.slice(0, flood.text.lastIndexOf(' ', flood.text.length / 2)) };
    const match = indexWith(flood).match(storySignature(half), HOUR);
    expect(match?.storyId).toBe('first');
    expect(match!.containment).toBeGreaterThan(0.9);
  });

  it('finds the story of a copy with words dropped and reordered sentences', () => {
    const sentences = flood.text.split(/(?<=\.)\s+/u);
    const reworded = [sentences[1], sentences[0], ...sentences.slice(2)].join(' ').split(' ').filter((_, i) => i % 10 !== 3).join(' ');
    expect(indexWith(flood).match(storySignature({ title: '', text: reworded }), HOUR)?.storyId).toBe('first');
  });

  it('keeps another article on another subject apart', () => {
    expect(indexWith(solar).match(storySignature(bookFair), HOUR)).toBeUndefined();
  });

  it('does not join a story stored longer ago than the window', () => {
    expect(indexWith(solar, 0).match(storySignature(solar), 73 * HOUR)).toBeUndefined();
  });

  it('forgets an article once it is removed', () => {
    const index = indexWith(solar);
    expect(index.remove('first')).toBe(true);
    expect(index.match(storySignature(solar), HOUR)).toBeUndefined();
  });
});
