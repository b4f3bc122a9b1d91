import { describe, expect, it } from 'vitest';
import { prepareArticle } from '../../../src/core/articles.js';
import { summarizeArticle, summaryLength } from '../../../src/engines/extractive/summarize.js';
import { sampleArticle } from '../../support/fixtures.js';

const limits = { minChars: 80, maxChars: 100_000 };

function article(text: string) {
  return prepareArticle({ text }, limits, { kind: 'operator' }, new Date());
}

describe('extractive summaries', () => {
  it('scales with the article between the configured bounds', () => {
    expect(summaryLength(4, 3, 5)).toBe(3);
    expect(summaryLength(20, 3, 5)).toBe(4);
    expect(summaryLength(80, 3, 5)).toBe(5);
    expect(summaryLength(2, 3, 5)).toBe(2);
  });

  it('gives an article of 500 words or more the longest summary allowed', () => {
    expect(summaryLength(20, 3, 5, 499)).toBe(4);
    expect(summaryLength(20, 3, 5, 500)).toBe(5);
    expect(summaryLength(4, 3, 5, 900)).toBe(4);
  });

  it('returns an English article’s own sentences, in order, starting from what happened', () => {
    const a = article(sampleArticle('en-flood-barrier.txt'));
    const summary = summarizeArticle({ article: a, language: 'en', minSentences: 3, maxSentences: 5 });
    expect(summary.language).toBe('en');
    expect(summary.sentences.length).toBe(3);
    expect(summary.sentences[0]).toMatch(/opened its new tidal flood barrier/);
    const positions = summary.sentences.map((s) => a.text.indexOf(s));
    expect(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!))).toBe(true);
  });

  it('leaves out a sentence that repeats one already chosen', () => {
    const lead = 'The city council approved a new budget for public transport on Monday after a long debate.';
    const text = [
      lead,
      'The city council approved the new public transport budget on Monday after the long debate ended.',
      'Bus fares will stay the same for two years under the plan, the mayor said.',
      'A new tram line to the airport will be built with part of the money by 2029.',
      'Opposition members said the budget ignored cycling and walking in the old town.',
      'The vote passed with 31 members in favour and 12 against.',
    ].join('\n');
    const summary = summarizeArticle({ article: article(text), language: 'en', minSentences: 3, maxSentences: 3 });
    expect(summary.sentences).toContain(lead);
    expect(summary.sentences.filter((s) => s.startsWith('The city council approved'))).toHaveLength(1);
  });

  it('does not translate: an Arabic article keeps its Arabic summary when English is asked for', () => {
    const a = article(sampleArticle('ar-book-fair.txt'));
    const summary = summarizeArticle({ article: a, language: 'en', minSentences: 3, maxSentences: 5 });
    expect(summary.language).toBe('ar');
    expect(summary.sentences[0]).toMatch(/معرض الكتاب/);
  });
});
