import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { articleId, prepareArticle, stripOutletSuffix } from '../../src/core/articles.js';
import { AkhbarError } from '../../src/core/errors.js';
import type { Actor } from '../../src/core/types.js';
import { sampleArticle } from '../support/fixtures.js';

const limits = { minChars: 80, maxChars: 100_000 };
const operator: Actor = { kind: 'operator' };
const now = new Date('2026-11-29T10:00:00Z');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AkhbarError ? error.code : 'not a domain error';
  }
  return undefined;
}

describe('prepareArticle', () => {
  it('takes the Arabic headline from the first line without the outlet name, and drops scraper debris', () => {
    const article = prepareArticle({ text: sampleArticle('ar-solar-plant.txt') }, limits, operator, now);
    expect(article.title).toBe('افتتاح أكبر محطة للطاقة الشمسية في مدينة الواحات الجديدة');
    expect(article.language).toBe('ar');
    // The repeated headline, the "Thumbnail" line and the trailing quote are gone.
    expect(article.text.startsWith('الواحات الجديدة – افتتح وزير الطاقة')).toBe(true);
    expect(article.text).not.toMatch(/Thumbnail/);
    expect(article.text.trim().endsWith("'")).toBe(false);
    expect(article.postedAt).toBe(now.toISOString());
    expect(article.postedBy).toBe('operator');
  });

  it('takes an English headline and strips "| Outlet"', () => {
    const article = prepareArticle({ text: sampleArticle('en-flood-barrier.txt') }, limits, operator, now);
    expect(article.title).toBe('Marlow Bay opens its new flood barrier after six years of work');
    expect(article.language).toBe('en');
    expect(article.text).not.toMatch(/^Image$/m);
  });

  it('keeps a given title and URL', () => {
    const article = prepareArticle(
      { text: sampleArticle('en-rail-strike.txt'), title: 'Strike off', url: 'https://news.example/rail' },
      limits,
      operator,
      now,
    );
    expect(article.title).toBe('Strike off');
    expect(article.url).toBe('https://news.example/rail');
  });

  it('makes a title from the first sentence when the paste is a single paragraph', () => {
    const text =
      'The harbour authority said on Monday that the old lighthouse will reopen to visitors in spring after repairs to its stairs and lamp room.';
    const article = prepareArticle({ text }, limits, operator, now);
    expect(article.title.startsWith('The harbour authority said on Monday')).toBe(true);
    expect(article.text).toBe(text);
  });

  it('gives the same id to the same text whatever the spacing, and different ids to different texts', () => {
    const a = prepareArticle({ text: sampleArticle('en-rail-strike.txt') }, limits, operator, now);
    const b = prepareArticle({ text: sampleArticle('en-rail-strike.txt').replace(/ /g, '  ') }, limits, operator, now);
    const c = prepareArticle({ text: sampleArticle('en-flood-barrier.txt') }, limits, operator, now);
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
    expect(a.id).toMatch(/^[0-9a-f]{12}$/);
    expect(articleId('مُهِمّ جدا')).toBe(articleId('مهم جدا'));
  });

  it.each([
    ['an empty post', '', 'EMPTY_ARTICLE'],
    ['only whitespace and debris', '  \n\nThumbnail\n\n \'\n', 'EMPTY_ARTICLE'],
    ['a tiny post', 'Short news.', 'ARTICLE_TOO_SHORT'],
    ['a 5 MB paste', 'word '.repeat(1_000_000), 'ARTICLE_TOO_LONG'],
  ])('refuses %s', (_name, text, code) => {
    expect(codeOf(() => prepareArticle({ text }, limits, operator, now))).toBe(code);
  });

  it('refuses binary data and text in another encoding as not text, but not an article with a stray control character', () => {
    const limits = { minChars: 20, maxChars: 100_000 };
    const noise = new TextDecoder().decode(randomBytes(4096));
    const refused = (text: string) => {
      try {
        prepareArticle({ text }, limits, operator, new Date());
        return undefined;
      } catch (error) {
        return error instanceof AkhbarError ? error.code : error;
      }
    };
    expect(refused(noise)).toBe('NOT_TEXT');
    // Arabic saved as Windows-1256 and read as UTF-8: its letters are bytes above 0x7f that UTF-8 cannot read.
    const cp1256 = Buffer.from([...sampleArticle('ar-solar-plant.txt')].map((c) => (c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : 0xc7)));
    expect(refused(new TextDecoder().decode(cp1256))).toBe('NOT_TEXT');
    expect(refused(`${sampleArticle('en-rail-strike.txt')}\u0007\u0000`)).toBeUndefined();
  });

  it('refuses a URL that is not http(s)', () => {
    expect(
      codeOf(() => prepareArticle({ text: sampleArticle('en-rail-strike.txt'), url: 'javascript:alert(1)' }, limits, operator, now)),
    ).toBe('INVALID_URL');
  });
});

describe('stripOutletSuffix', () => {
  it.each([
    ['بوادر تعاون عسكري بين الجزائر والولايات المتحدة – مصدر24', 'بوادر تعاون عسكري بين الجزائر والولايات المتحدة'],
    ['Storm closes ports | Reuters', 'Storm closes ports'],
    ['Rail strike - BBC News', 'Rail strike'],
    ['Algeria – United States military talks resume after long pause', 'Algeria – United States military talks resume after long pause'],
  ])('%s → %s', (line, title) => {
    expect(stripOutletSuffix(line)).toBe(title);
  });
});
