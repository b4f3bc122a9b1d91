import { describe, expect, it } from 'vitest';
import { arabicSkeleton, crossExpansions, crossTerms, isCrossTerm, latinSkeleton } from '../../../src/core/crosslang/index.js';
import { foldForMatching, REPORTING_CLASS } from '../../../src/core/text/index.js';

const latin = (word: string) => latinSkeleton(foldForMatching(word));
const arabic = (word: string) => arabicSkeleton(foldForMatching(word));

/** The cross terms an English question looks for, flattened. */
const asked = (question: string, language: 'ar' | 'en' = 'en') => crossExpansions(question, language).flatMap((e) => e.spellings);

describe('transliterated names', () => {
  it('writes a name the same in Arabic and Latin script', () => {
    expect(arabic('تاونسند')).toBe(latin('Townsend'));
    expect(arabic('أفريكوم')).toBe(latin('AFRICOM'));
    expect(arabic('ستيفن')).toBe(latin('Stephen'));
    // The several ways a name is written come to one skeleton: with or without hamza, s or z.
    expect(arabic('افريكوم')).toBe(arabic('أفريكوم'));
    expect(latin('Jones')).toBe(arabic('جونز'));
  });

  it('tells different names apart', () => {
    expect(arabic('تاونسند')).not.toBe(latin('Thompson'));
    expect(arabic('أفريكوم')).not.toBe(latin('Africa'));
  });

  it('finds a name in an Arabic article under the conjunction or preposition written onto it', () => {
    const article = crossTerms('والتقى وتاونسند بالجزائر', 'ar');
    const words = crossExpansions('Townsend in Algeria', 'en');
    expect(words.map((word) => word.spellings.some((term) => article.includes(term)))).toEqual([true, true]);
  });
});

describe('CLDR names, months and digits', () => {
  it('reads a country named in either language as the same term', () => {
    const article = crossTerms('زار الولايات المتحدة والجزائر', 'ar');
    expect(asked('Did he visit the United States?').some((term) => article.includes(term))).toBe(true);
    expect(asked('Algeria').some((term) => article.includes(term))).toBe(true);
  });

  it('reads the Gulf and the Levantine month names as the English one', () => {
    const english = crossTerms('It opened on 23 September.', 'en');
    expect(asked('افتتح في ٢٣ أيلول', 'ar').some((term) => english.includes(term))).toBe(true);
    expect(asked('افتتح في ٢٣ سبتمبر', 'ar').some((term) => english.includes(term))).toBe(true);
  });

  it('takes a lower-case English word for a dictionary word, not a name or a month', () => {
    expect(asked('they may march')).toEqual([]);
  });

  it('leaves a question in its own language alone: no terms of the other language to look for', () => {
    expect(crossTerms('Townsend met them', 'other')).toEqual([]);
    expect(asked('Townsend met them', 'other' as 'en')).toEqual([]);
  });
});

describe('cross terms beside the words of an article', () => {
  it('are told apart from word classes, so they never lengthen an article or change its same-language score', () => {
    expect(crossTerms('التقى تاونسند في الجزائر', 'ar').every(isCrossTerm)).toBe(true);
    expect(isCrossTerm(REPORTING_CLASS)).toBe(false);
    expect(isCrossTerm('townsend')).toBe(false);
  });
});
