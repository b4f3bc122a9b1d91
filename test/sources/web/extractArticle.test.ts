import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AkhbarError } from '../../../src/core/errors.js';
import { extractArticle } from '../../../src/sources/web/extractArticle.js';
import { htmlToText } from '../../../src/sources/web/htmlText.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/web/${name}`, import.meta.url)), 'utf8');

describe('extracting an Arabic news page', () => {
  const article = extractArticle(fixture('ar-news.html'), 'https://akhbar-alwaha.example/news/2026/03/bridge?utm_source=twitter');

  it('takes the headline from og:title, not the <title> with the outlet’s name', () => {
    expect(article.title).toBe('افتتاح جسر وادي الرمال يربط شطري مدينة النخيل');
  });

  it('keeps the byline without its "بقلم:" prefix, the date in ISO, the canonical URL without tracking, and the language', () => {
    expect(article).toMatchObject({
      byline: 'ليلى حداد',
      publishedAt: '2026-03-14T06:30:00.000Z',
      canonicalUrl: 'https://akhbar-alwaha.example/news/2026/03/bridge',
      language: 'ar',
      siteName: 'أخبار الواحة',
    });
  });

  it('keeps the story as paragraphs separated by blank lines', () => {
    const paragraphs = article.text.split('\n\n');
    expect(paragraphs).toHaveLength(6);
    expect(paragraphs[0]).toMatch(/^افتتح محافظ مدينة النخيل صباح السبت/);
    expect(paragraphs[5]).toMatch(/من الوادي\.$/);
  });

  it('leaves out navigation, the ticker, share buttons, related links, the sidebar and the footer', () => {
    for (const debris of ['الرئيسية', 'رياضة', 'عاجل', 'شارك', 'اقرأ أيضا', 'بلدية النخيل تطلق مسابقة', 'الأكثر قراءة', 'فريق الواحة', 'نشرتنا البريدية', 'جميع الحقوق محفوظة', 'سياسة الخصوصية', 'analytics']) {
      expect(article.text).not.toContain(debris);
    }
    // The headline is the title; it is not repeated as the first paragraph.
    expect(article.text.startsWith(article.title)).toBe(false);
  });
});

describe('extracting an English news page', () => {
  const article = extractArticle(fixture('en-news.html'), 'https://gazette.example/news/tidal?ref=home');

  it('takes the <h1> the <title> repeats, without " | The Harbour Gazette"', () => {
    expect(article.title).toBe('Harbour council approves tidal energy pilot');
  });

  it('reads author and date from JSON-LD, resolves a relative canonical link and drops fbclid/utm', () => {
    expect(article).toMatchObject({
      byline: 'Tom Okafor',
      publishedAt: '2026-02-03T07:15:00.000Z',
      canonicalUrl: 'https://gazette.example/2026/02/tidal-pilot',
      language: 'en',
    });
  });

  it('leaves out the cookie banner, navigation, "Most read" and the footer', () => {
    expect(article.text).toContain('The harbour council voted on Monday');
    expect(article.text).toContain('"The tide comes in twice a day whether we like it or not," she said.');
    for (const debris of ['cookies', 'Weather', 'Most read', 'Ferry timetable', 'All rights reserved']) expect(article.text).not.toContain(debris);
  });
});

describe('pages without a clean headline or a story', () => {
  const story = Array.from({ length: 4 }, (_, i) => `<p>الفقرة ${i + 1}: واصلت فرق الصيانة أعمالها في شبكة المياه بالحي القديم طوال الأسبوع، وأكدت البلدية أن الانقطاعات ستنتهي قبل نهاية الشهر.</p>`).join('');

  it('strips " - اسم الموقع" from the <title> when nothing better names the story, and detects the language', () => {
    const html = `<html><head><title>انتهاء أشغال شبكة المياه في الحي القديم - اسم الموقع</title></head><body><div>${story}</div></body></html>`;
    const article = extractArticle(html, 'https://site.example/a');
    expect(article.title).toBe('انتهاء أشغال شبكة المياه في الحي القديم');
    expect(article.language).toBe('ar');
    expect(article.canonicalUrl).toBeUndefined();
    expect(article.publishedAt).toBeUndefined();
  });

  it('refuses a page of links with LINK_NO_ARTICLE', () => {
    let error: unknown;
    try {
      extractArticle(fixture('no-article.html'), 'https://gazette.example/');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AkhbarError);
    expect((error as AkhbarError).details).toEqual({ code: 'LINK_NO_ARTICLE', url: 'https://gazette.example/' });
  });

  it('refuses an empty page', () => {
    expect(() => extractArticle('', 'https://site.example/')).toThrow(AkhbarError);
    expect(() => extractArticle('<html><body><p>Short.</p></body></html>', 'https://site.example/')).toThrow(/no readable article/);
  });
});

describe('htmlToText', () => {
  it('separates blocks with blank lines, list items and <br> with newlines, and never runs words together', () => {
    const text = htmlToText('<p>First <b>bold</b>\n  words.</p><p>Second<br>line.</p><ul><li>one</li><li>two</li></ul><script>x()</script><figure><img src=a><figcaption>Photo: agency</figcaption></figure><div>Last</div>');
    expect(text).toBe('First bold words.\n\nSecond\nline.\n\none\ntwo\n\nLast');
  });
});
