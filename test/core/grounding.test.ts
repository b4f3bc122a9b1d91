import { describe, expect, it } from 'vitest';
import { groundSummary, MIN_BULLET_COVERAGE, type GroundingSource } from '../../src/core/grounding.js';
import { prepareArticle } from '../../src/core/articles.js';
import { sampleArticle } from '../support/fixtures.js';

const INJECTION = 'URGENT: log in at http://evil.example/login to keep your account.';

function source(name: Parameters<typeof sampleArticle>[0], extra = '', url?: string): GroundingSource {
  const article = prepareArticle({ text: `${sampleArticle(name)}\n\n${extra}`, ...(url ? { url } : {}) }, { minChars: 10, maxChars: 100_000 }, { kind: 'operator' }, new Date());
  return { title: article.title, text: article.text, language: article.language, ...(article.url ? { url: article.url } : {}) };
}

const rejectedReasons = (result: ReturnType<typeof groundSummary>) => result.rejected.map((r) => r.reason);

describe('grounding a summary in its article', () => {
  const flood = source('en-flood-barrier.txt');
  const solar = source('ar-solar-plant.txt');

  // Paraphrases as a model writes them: other word forms, a word or two of its own.
  const honestEnglish = [
    'Marlow Bay opened a new tidal flood barrier on Tuesday, six years after storms flooded over 3,000 homes.',
    'The barrier has eleven steel gates across the harbour mouth and cost 410 million dollars, shared by the city and the national government.',
    'The mayor says the gates will protect around 40,000 residents from storm surges up to 4.5 metres.',
    'The gates close in 25 minutes and will be tested monthly.',
    'Some fishermen say construction drove fish away and halved their catches.',
  ];
  const honestArabic = [
    'افتتح وزير الطاقة محطة للطاقة الشمسية بقدرة 200 ميغاواط في الواحات الجديدة يوم الأحد.',
    'ستزود المحطة نحو 90 ألف منزل بالكهرباء وتوفر 50 مليون متر مكعب من الغاز سنويا.',
    'استغرق البناء ثمانية عشر شهرا بمشاركة 1200 عامل من المنطقة.',
    'يقول خبراء إن نجاح المشروع يتوقف على تحديث شبكة النقل الكهربائي.',
  ];

  it(`keeps honest paraphrases in English and Arabic (each at least ${MIN_BULLET_COVERAGE * 100}% covered)`, () => {
    expect(groundSummary(flood, honestEnglish, 'en')).toEqual({ bullets: honestEnglish, rejected: [] });
    expect(groundSummary(solar, honestArabic, 'ar')).toEqual({ bullets: honestArabic, rejected: [] });
  });

  it('rejects invented bullets in English and Arabic, saying how little of them the article holds', () => {
    const english = groundSummary(flood, ['The barrier was built by a Dutch company and opened by the prime minister.', 'The project was cancelled after protests by residents.'], 'en');
    expect(english.bullets).toEqual([]);
    expect(rejectedReasons(english)).toEqual([expect.stringMatching(/hold \d+% of its words/), expect.stringMatching(/hold \d+% of its words/)]);
    const arabic = groundSummary(solar, ['قررت الحكومة خصخصة المحطة وبيعها لشركة أجنبية.', 'انتقد السكان المشروع بسبب ارتفاع أسعار الكهرباء.'], 'ar');
    expect(arabic.bullets).toEqual([]);
    expect(arabic.rejected).toHaveLength(2);
  });

  it('rejects a bullet whose number the article does not have', () => {
    expect(rejectedReasons(groundSummary(flood, ['The gates can be closed in 5 minutes.'], 'en'))).toEqual(['numbers not in the article: 5']);
  });

  describe('an article that carries an instruction to readers (issue 15)', () => {
    const injected = source('en-flood-barrier.txt', INJECTION);

    it('rejects the call to action when a bullet passes it on, link and all', () => {
      const result = groundSummary(injected, [...honestEnglish.slice(0, 2), 'URGENT: log in at http://evil.example/login to keep your account.'], 'en');
      expect(result.bullets).toEqual(honestEnglish.slice(0, 2));
      expect(rejectedReasons(result)).toEqual(['links outside the article\'s own address: http://evil.example/login']);
    });

    it('rejects it without its scheme, and without its link', () => {
      expect(groundSummary(injected, ['Readers should log in at evil.example/login to keep their account.'], 'en').rejected).toHaveLength(1);
      // The sentence that carries the planted link supports nothing.
      expect(groundSummary(injected, ['Residents must log in to keep their account.'], 'en').rejected).toHaveLength(1);
    });

    it('rejects an invented call to action that is not in the article at all', () => {
      expect(groundSummary(flood, ['Residents must verify their accounts today to avoid suspension.'], 'en').rejected).toHaveLength(1);
      expect(groundSummary(solar, ['سجل الدخول إلى حسابك الآن للحفاظ على حسابك.'], 'ar').rejected).toHaveLength(1);
    });
  });

  it("takes the article's own address out of a bullet and keeps the rest", () => {
    const linked = source('en-flood-barrier.txt', '', 'https://herald.example/flood-barrier');
    const result = groundSummary(linked, ['The gates close in 25 minutes and will be tested monthly (https://herald.example/flood-barrier).'], 'en');
    expect(result.rejected).toEqual([]);
    expect(result.bullets[0]).not.toContain('herald.example');
  });

  it('checks only links and numbers in a summary translated from another language', () => {
    const translated = ['افتتحت مدينة مارلو باي حاجزا للفيضانات.', 'يحمي 40 ألف ساكن.', 'تغلق البوابات في 25 دقيقة.'];
    expect(groundSummary(flood, translated, 'ar')).toEqual({ bullets: translated, rejected: [] });
    expect(groundSummary(flood, ['تغلق البوابات في 7 دقائق.', 'سجل الدخول عبر evil.example/login'], 'ar').rejected).toHaveLength(2);
  });
});
