import { describe, expect, it } from 'vitest';
import { AkhbarError } from '../../src/core/errors.js';
import { articleWords, compileFilters, compilePattern, MAX_PATTERN_CHARS, NO_FILTERS, type SubscriptionFilters } from '../../src/core/filters.js';
import type { Article } from '../../src/core/types.js';

function article(title: string, text: string, extra: Partial<Article> = {}): Article {
  return { id: 'abc123', title, text, language: 'ar', postedAt: '2026-03-01T08:00:00.000Z', postedBy: 'operator', ...extra };
}

function judge(filters: Partial<SubscriptionFilters>, a: Article) {
  return compileFilters({ ...NO_FILTERS, ...filters }).judge(articleWords(a));
}

function refusal(run: () => unknown): AkhbarError {
  try {
    run();
  } catch (error) {
    if (error instanceof AkhbarError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('a subscription filter', () => {
  it('lets everything through when nothing is set', () => {
    expect(judge({}, article('أي خبر', 'نص الخبر'))).toEqual({ passed: true, checks: [] });
  });

  it('matches an included word across Arabic spellings, as search folds them (الأميركي and الأمريكي)', () => {
    const verdict = judge({ include: ['الأميركي'] }, article('زيارة', 'وصل وزير الخارجية الأمريكي إلى العاصمة صباح اليوم.'));
    expect(verdict.passed).toBe(true);
    expect(verdict.checks).toEqual([{ rule: 'include', passed: true, words: ['الأميركي'], word: 'الأميركي', matched: 'الأمريكي' }]);
  });

  it('does not take a word for another that only shares its root (أمير is not أمريكي)', () => {
    expect(judge({ include: ['أميركي'] }, article('استقبال', 'استقبل الأمير الوفود في القصر.')).passed).toBe(false);
  });

  it('matches English words by their stem (sport catches sports)', () => {
    const verdict = judge({ exclude: ['sport'] }, article('Weekend', 'The sports pages were full of the final.', { language: 'en' }));
    expect(verdict).toEqual({ passed: false, checks: [{ rule: 'exclude', passed: false, word: 'sport', matched: 'sports' }] });
  });

  it('blocks an excluded Arabic word in any of its forms, naming the form it found', () => {
    const verdict = judge({ exclude: ['رياضة'] }, article('ملعب جديد', 'افتتح وزير الرياضة الملعب الجديد.'));
    expect(verdict.checks).toEqual([{ rule: 'exclude', passed: false, word: 'رياضة', matched: 'الرياضة' }]);
  });

  it('passes only what every rule passes: language, feed, words and pattern together', () => {
    const fromFeed = article('Oil prices rise', 'Crude oil rose on Monday.', { language: 'en', postedBy: 'feed:news.example' });
    const filters = { include: ['oil'], languages: ['en' as const], feeds: ['news.example'], regex: '\\bcrude\\b' };
    expect(judge(filters, fromFeed)).toMatchObject({ passed: true });
    expect(judge(filters, { ...fromFeed, postedBy: 'telegram:1' })).toMatchObject({
      passed: false,
      checks: expect.arrayContaining([{ rule: 'feed', passed: false, feeds: ['news.example'] }]),
    });
    expect(judge(filters, { ...fromFeed, language: 'ar' })).toMatchObject({
      passed: false,
      checks: expect.arrayContaining([{ rule: 'language', passed: false, languages: ['en'], language: 'ar' }]),
    });
  });

  it('matches its pattern case-insensitively in the title or the text, and says what matched', () => {
    const verdict = judge({ regex: 'نفط|OIL' }, article('Oil', 'Markets moved.', { language: 'en' }));
    expect(verdict.checks).toEqual([{ rule: 'regex', passed: true, pattern: 'نفط|OIL', matched: 'Oil' }]);
  });
});

describe('a filter pattern', () => {
  it('is refused when it needs more than linear time (a backreference, a lookahead), saying why', () => {
    expect(refusal(() => compilePattern('(a+)\\1')).details).toMatchObject({ code: 'BAD_FILTER_PATTERN', reason: 'unsupported', cause: expect.stringContaining('\\1') });
    expect(refusal(() => compilePattern('oil(?=s)')).details).toMatchObject({ code: 'BAD_FILTER_PATTERN', reason: 'unsupported' });
  });

  it('is refused when longer than the cap', () => {
    expect(refusal(() => compilePattern('a'.repeat(MAX_PATTERN_CHARS + 1))).details).toEqual({
      code: 'BAD_FILTER_PATTERN',
      pattern: 'a'.repeat(MAX_PATTERN_CHARS + 1),
      reason: 'too-long',
      maxChars: MAX_PATTERN_CHARS,
    });
    expect(() => compilePattern('a'.repeat(MAX_PATTERN_CHARS))).not.toThrow();
  });

  it('runs a pattern that backtracking engines take exponential time on, at once', () => {
    // (a+)+$ against a's followed by a mismatch is the classic catastrophic case for backtracking.
    const verdict = judge({ regex: '(a+)+$' }, article('x', `${'a'.repeat(5_000)}!`, { language: 'en' }));
    expect(verdict.passed).toBe(false);
  });
});
