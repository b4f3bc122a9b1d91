import { describe, expect, it } from 'vitest';
import { firstParagraph, MAX_LEAD_CHARS } from '../../../src/core/delivery/lead.js';
import { sampleArticle } from '../../support/fixtures.js';

describe('the first paragraph a full delivery adds', () => {
  it('is the lede, not the headline the text repeats above it', () => {
    expect(firstParagraph(sampleArticle('en-rail-strike.txt'), 'Rail workers in Northvale call off strike after pay deal')).toBe(
      'Rail workers in Northvale have called off a three-day strike planned for next week after their union accepted a new pay offer from the regional rail company.',
    );
    expect(firstParagraph(sampleArticle('ar-solar-plant.txt'))).toMatch(/^الواحات الجديدة – افتتح وزير الطاقة يوم الأحد .+2030\.$/u);
  });

  it('is the first paragraph when none reads as prose, and is cut at a word when a page has no breaks', () => {
    expect(firstParagraph('Headline only\n\nAnother line')).toBe('Headline only');
    const long = firstParagraph(`${'word '.repeat(400)}end.`);
    expect(long.length).toBeLessThanOrEqual(MAX_LEAD_CHARS + 1);
    expect(long).toMatch(/word…$/u);
  });
});
