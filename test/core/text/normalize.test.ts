import { describe, it, expect } from 'vitest';
import { cleanText, foldArabic, foldForMatching } from '../../../src/core/text/normalize.js';

describe('cleanText', () => {
  it('removes bidi controls, zero-width spaces, BOM and soft hyphens that hide or reorder text', () => {
    const pasted = '\uFEFF\u202Bالجزائر\u202C \u200Fتواصل\u200E مشاوراتها\u2067 مع\u2069 واشنطن\u061C\u200B. Pre\u00ADsident';
    expect(cleanText(pasted)).toBe('الجزائر تواصل مشاوراتها مع واشنطن. President');
  });

  it('keeps the article as written: tashkeel, hamza and ta marbuta are not folded', () => {
    const text = 'وإن تعزيز هذه العلاقة مهمّ جدا بالنسبة لنا';
    expect(cleanText(text)).toBe(text);
  });

  it('tidies whitespace: Windows line ends, non-breaking spaces, runs of spaces, blank-line runs', () => {
    const pasted = '  Mr. Smith\u00A0\u00A0arrived   in\tAlgiers.  \r\n\r\n\r\n\r\n  He met   officials. \rThey talked.  ';
    expect(cleanText(pasted)).toBe('Mr. Smith arrived in Algiers.\n\nHe met officials.\nThey talked.');
  });

  it('composes decomposed accents (NFC) so the same word is stored the same way', () => {
    expect(cleanText('Ame\u0301lie')).toBe('Amélie');
  });
});

describe('foldArabic', () => {
  it('makes a word with and without tashkeel the same', () => {
    expect(foldArabic('مُهِمّ')).toBe(foldArabic('مهم'));
  });

  it('ignores tatweel used to stretch a headline', () => {
    expect(foldArabic('الأمـــن')).toBe(foldArabic('الأمن'));
  });

  it('treats every alef-hamza spelling alike', () => {
    expect(foldArabic('إيران')).toBe('ايران');
    expect(foldArabic('أفريقيا')).toBe('افريقيا');
    expect(foldArabic('آية')).toBe(foldArabic('اية'));
  });

  it('folds ta marbuta to ha and alef maqsura to ya, the two most common typing variants', () => {
    expect(foldArabic('العلاقة')).toBe(foldArabic('العلاقه'));
    expect(foldArabic('مستشفى')).toBe(foldArabic('مستشفي'));
  });

  it('folds hamza on waw and ya', () => {
    expect(foldArabic('مسؤول')).toBe('مسوول');
    expect(foldArabic('الجزائر')).toBe('الجزاير');
  });

  it('folds Persian keyboard letters and Arabic-Indic digits', () => {
    expect(foldArabic('کتاب')).toBe('كتاب');
    expect(foldArabic('عربی')).toBe('عربي');
    expect(foldArabic('عام ٢٠١٥ و۲۰۱۶')).toBe('عام 2015 و2016');
  });
});

describe('foldForMatching', () => {
  it('lets a query typed without hamza or tashkeel match the article spelling', () => {
    expect(foldForMatching('السفارة الأميركية')).toBe(foldForMatching('السفاره الاميركيه'));
    expect(foldForMatching('مُهِمّ جداً')).toBe(foldForMatching('مهم جدا'));
  });

  it('ignores case and Latin accents', () => {
    expect(foldForMatching('Café in SÃO Paulo')).toBe('cafe in sao paulo');
    expect(foldForMatching('Tebboune')).toBe(foldForMatching('TEBBOUNE'));
  });

  it('turns Arabic presentation forms (as copied from some PDFs) into plain letters', () => {
    expect(foldForMatching('\uFEFB')).toBe('لا');
  });
});
